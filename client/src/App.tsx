// The app shell: follows the URL to the right page, and knows who is signed in (the server's
// answer to `GET /api/me`). Signed out, every page but the invitation step explains how to join.
import { useEffect, useSyncExternalStore } from 'react';
import { AppLink } from './AppLink.js';
import { DocumentPage } from './pages/DocumentPage.js';
import { JoinPage } from './pages/JoinPage.js';
import { LobbyPage } from './pages/LobbyPage.js';
import { SignedOutPage } from './pages/SignedOutPage.js';
import { navigate, parseRoute } from './routes.js';
import { useSession } from './session.js';

function subscribeToLocation(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

/** Where to go after signing in, when a signed-out person opened a document link first. */
const RETURN_TO_KEY = 'concord.returnTo';

function rememberReturnTo(path: string): void {
  try {
    window.sessionStorage.setItem(RETURN_TO_KEY, path);
  } catch {
    // Storage refused: the person lands in the lobby instead, which lists the document anyway.
  }
}

function takeReturnTo(): string {
  try {
    const path = window.sessionStorage.getItem(RETURN_TO_KEY);
    window.sessionStorage.removeItem(RETURN_TO_KEY);
    // Only our own document pages: a stored value must never send the browser elsewhere.
    return path !== null && parseRoute(path).page === 'document' ? path : '/';
  } catch {
    return '/';
  }
}

export function App() {
  const pathname = useSyncExternalStore(subscribeToLocation, () => window.location.pathname);
  const route = parseRoute(pathname);
  const session = useSession();
  const { state } = session;

  useEffect(() => {
    if (route.page !== 'document') document.title = 'Concord';
  }, [route.page]);

  useEffect(() => {
    if (route.page === 'document' && state.status === 'signed-out') rememberReturnTo(pathname);
  }, [route.page, state.status, pathname]);

  const signOut = async (): Promise<void> => {
    await session.signOut();
    navigate('/');
  };

  if (route.page === 'not-found') {
    return (
      <main className="home">
        <h1>No such page</h1>
        <p>
          <code>{route.path}</code> is not a Concord address. Document links look like <code>/d/AbC123xyz_-0</code>, invitation links like{' '}
          <code>/join/…</code>.
        </p>
        <p>
          <AppLink href="/">Go to the start page</AppLink>
        </p>
      </main>
    );
  }

  if (state.status === 'loading') {
    return (
      <main className="home" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }

  if (state.status === 'unreachable') {
    return (
      <main className="home">
        <h1>Concord</h1>
        <p role="alert">{state.message}</p>
        <button type="button" onClick={() => void session.refresh()}>
          Try again
        </button>
      </main>
    );
  }

  const me = state.status === 'signed-in' ? state.me : null;
  switch (route.page) {
    case 'join':
      return (
        <JoinPage
          key={route.code}
          code={route.code}
          me={me}
          onJoined={async () => {
            await session.refresh();
            navigate(takeReturnTo());
          }}
        />
      );
    case 'home':
      return me ? <LobbyPage me={me} onSignOut={signOut} onSessionEnded={session.ended} /> : <SignedOutPage sessionEnded={state.status === 'signed-out' && state.ended} />;
    case 'document':
      return me ? (
        <DocumentPage key={route.documentId} documentId={route.documentId} me={me} onSignOut={signOut} />
      ) : (
        <SignedOutPage sessionEnded={state.status === 'signed-out' && state.ended} />
      );
  }
}
