// The app shell: follows the URL to the right page and owns the user's identity, asking for it
// before a document is opened for the first time.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { IdentityDialog } from './IdentityDialog.js';
import { loadIdentity, randomCaretColor, saveIdentity, type Identity } from './identity.js';
import { DocumentPage } from './pages/DocumentPage.js';
import { HomePage } from './pages/HomePage.js';
import { AppLink } from './AppLink.js';
import { parseRoute } from './routes.js';

function subscribeToLocation(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

export function App() {
  const pathname = useSyncExternalStore(subscribeToLocation, () => window.location.pathname);
  const route = parseRoute(pathname);
  const [identity, setIdentity] = useState<Identity | null>(() => loadIdentity());
  const [editingIdentity, setEditingIdentity] = useState(false);

  useEffect(() => {
    if (route.page !== 'document') document.title = 'Concord';
  }, [route.page]);

  const needIdentity = route.page === 'document' && identity === null;
  const dialog =
    needIdentity || editingIdentity ? (
      <IdentityDialog
        initial={identity ?? { name: '', color: randomCaretColor() }}
        required={identity === null && route.page === 'document'}
        onSave={(chosen) => {
          saveIdentity(chosen);
          setIdentity(chosen);
          setEditingIdentity(false);
        }}
        onCancel={() => setEditingIdentity(false)}
      />
    ) : null;

  let page;
  switch (route.page) {
    case 'home':
      page = <HomePage identity={identity} onEditIdentity={() => setEditingIdentity(true)} />;
      break;
    case 'document':
      page = identity ? <DocumentPage key={route.documentId} documentId={route.documentId} identity={identity} onEditIdentity={() => setEditingIdentity(true)} /> : null;
      break;
    case 'not-found':
      page = (
        <main className="home">
          <h1>No such page</h1>
          <p>
            <code>{route.path}</code> is not a Concord address. Document links look like <code>/d/AbC123xyz_-0</code>.
          </p>
          <p>
            <AppLink href="/">Go to the start page</AppLink>
          </p>
        </main>
      );
      break;
  }

  return (
    <>
      {page}
      {dialog}
    </>
  );
}
