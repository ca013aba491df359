import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, errorMessage, type Schemas } from './api/client';

type Session = Schemas['ConsoleSession'];

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; message?: string }
  | { status: 'signed-in'; session: Session };

interface SessionApi {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

// Renew the access token this long before it expires.
const REFRESH_AHEAD_MS = 60_000;

/**
 * The operator's session as the gateway keeps it (HttpOnly cookies): asked on load, renewed a
 * minute before the access token expires, ended on sign-out. A refusal signs the console out.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    void api.GET('/admin/session').then(({ data, response }) => {
      if (cancelled) return;
      if (data) setState({ status: 'signed-in', session: data });
      else if (response.status === 401) {
        // An expired access token may still have a live refresh cookie.
        void api.POST('/admin/session/refresh').then((renewed) => {
          if (cancelled) return;
          setState(
            renewed.data
              ? { status: 'signed-in', session: renewed.data }
              : { status: 'signed-out' },
          );
        });
      } else setState({ status: 'signed-out' });
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const expiresAt = state.status === 'signed-in' ? state.session.expiresAt : undefined;
  useEffect(() => {
    if (!expiresAt) return;
    const delay = Math.max(1000, Date.parse(expiresAt) - Date.now() - REFRESH_AHEAD_MS);
    const timer = window.setTimeout(() => {
      void api.POST('/admin/session/refresh').then(({ data, error }) => {
        setState(
          data
            ? { status: 'signed-in', session: data }
            : { status: 'signed-out', message: errorMessage(error, 'Your session ended') },
        );
      });
    }, delay);
    return () => window.clearTimeout(timer);
  }, [expiresAt]);

  const signIn = useCallback(async (email: string, password: string) => {
    const { data, error, response } = await api.POST('/admin/session', {
      body: { email, password },
    });
    if (data) {
      setState({ status: 'signed-in', session: data });
      return;
    }
    const message =
      response.status === 403
        ? 'This account cannot open the console: it is for operators (ADMIN or SUPER_ADMIN).'
        : errorMessage(error, 'Sign-in failed');
    setState({ status: 'signed-out', message });
  }, []);

  const signOut = useCallback(async () => {
    await api.DELETE('/admin/session');
    setState({ status: 'signed-out' });
  }, []);

  return (
    <SessionContext.Provider value={{ state, signIn, signOut }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
