/** The page's Session (src/store/session.ts), handed to components through React context. */
import { createContext, useContext } from 'react';
import type { Session } from '../store/session.ts';

/** Context holding the page's session; App provides it. */
export const SessionContext = createContext<Session | null>(null);

/** The page's session; throws outside App (a component rendered without one is a bug). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession: no SessionContext.Provider above this component');
  return session;
}
