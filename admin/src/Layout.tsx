import { NavLink, Outlet } from 'react-router';
import { SignInPage } from './pages/SignInPage';
import { useSession } from './session';

const SECTIONS = [
  { to: '/review', label: 'Review queue' },
  { to: '/orders', label: 'Orders' },
  { to: '/failed', label: 'Failed checkouts' },
  { to: '/campaigns', label: 'Campaigns' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/catalog', label: 'Catalog' },
];

/** The signed-in frame: skip link, navigation, who is signed in, and the page. */
export function Layout() {
  const { state, signOut } = useSession();
  if (state.status === 'loading') {
    return (
      <main className="centered" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }
  if (state.status === 'signed-out') return <SignInPage message={state.message} />;
  const { user } = state.session;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Commerce console</span>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section.to}>
                <NavLink to={section.to}>{section.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="operator">{user.email ?? user.id}</span>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
