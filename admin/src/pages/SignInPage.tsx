import { type FormEvent, useState } from 'react';
import { useSession } from '../session';

/** Email and password, posted to the gateway, which keeps the tokens in HttpOnly cookies. */
export function SignInPage({ message }: { message?: string | undefined }) {
  const { signIn } = useSession();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      await signIn(field(form, 'email'), field(form, 'password'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="centered">
      <form className="card sign-in" onSubmit={(event) => void submit(event)}>
        <h1>Commerce console</h1>
        <p>Sign in with an operator account (ADMIN or SUPER_ADMIN).</p>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        {message && (
          <p role="alert" className="error">
            {message}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
