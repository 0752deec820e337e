// The lobby, for a signed-in person: the dialogue's working groups, meetings and documents they may
// see, with who is in each document right now (refreshed every few seconds and when the tab regains
// focus). Organisers also get tabs for invitation links and members.
import { useEffect, useId, useState } from 'react';
import type { MeView, MemberView } from '../../../shared/workspace.js';
import { InitiativeTree } from '../lobby/InitiativeTree.js';
import { InvitationsPanel } from '../lobby/InvitationsPanel.js';
import { MembersPanel } from '../lobby/MembersPanel.js';
import { Tabs, type Tab } from '../lobby/Tabs.js';
import { documentIdFromInput, documentPath, navigate } from '../routes.js';
import { AccountMenu } from '../workspace/AccountMenu.js';
import { LinkForm } from './LinkForm.js';
import { useRefreshing } from '../workspace/use-refreshing.js';
import { ApiError, describeApiError, workspaceApi } from '../workspace/workspace-api.js';

/** Presence is what the lobby is for; a few seconds old is fresh enough and cheap for the server. */
const LOBBY_REFRESH_MS = 5_000;
const MEMBERS_REFRESH_MS = 15_000;

type TabKey = 'documents' | 'invitations' | 'members';
const ORGANISER_TABS: readonly Tab<TabKey>[] = [
  { key: 'documents', label: 'Groups and documents' },
  { key: 'invitations', label: 'Invitations' },
  { key: 'members', label: 'Members' },
];

function tabFromHash(hash: string): TabKey {
  return hash === '#invitations' ? 'invitations' : hash === '#members' ? 'members' : 'documents';
}

interface LobbyPageProps {
  me: MeView;
  onSignOut: () => Promise<void>;
  onSessionEnded: () => void;
}

export function LobbyPage({ me, onSignOut, onSessionEnded }: LobbyPageProps) {
  const isOrganiser = me.initiativeRole === 'organiser' || Object.values(me.groupRoles).includes('organiser');
  const onLoadError = (error: unknown): void => {
    if (error instanceof ApiError && error.status === 401) onSessionEnded();
  };
  const initiative = useRefreshing((signal) => workspaceApi.initiative(signal), LOBBY_REFRESH_MS, onLoadError);
  const members = useRefreshing<MemberView[] | null>(
    (signal) => (isOrganiser ? workspaceApi.members(signal) : Promise.resolve(null)),
    isOrganiser ? MEMBERS_REFRESH_MS : null,
    onLoadError,
  );
  const [tab, setTab] = useState<TabKey>(() => (isOrganiser ? tabFromHash(window.location.hash) : 'documents'));

  useEffect(() => {
    document.title = initiative.data ? `${initiative.data.name} — Concord` : 'Concord';
  }, [initiative.data]);

  function selectTab(key: TabKey) {
    setTab(key);
    // In the address too, so a reload (or a link shared among organisers) opens the same tab.
    window.history.replaceState(null, '', key === 'documents' ? window.location.pathname : `#${key}`);
  }

  const reloadAll = async (): Promise<void> => {
    await Promise.all([initiative.reload(), members.reload()]);
  };

  let body;
  if (initiative.data === null) {
    body =
      initiative.error !== null ? (
        <div className="panel">
          <p role="alert">{describeApiError(initiative.error)}</p>
          <button type="button" onClick={() => void initiative.reload()}>
            Try again
          </button>
        </div>
      ) : (
        <p>Loading…</p>
      );
  } else {
    const tree = <InitiativeTree initiative={initiative.data} members={members.data} onChanged={reloadAll} onSessionEnded={onSessionEnded} />;
    body = !isOrganiser ? (
      tree
    ) : (
      <Tabs label="Organiser views" tabs={ORGANISER_TABS} selected={tab} onSelect={selectTab}>
        {tab === 'documents' && tree}
        {tab === 'invitations' && <InvitationsPanel initiative={initiative.data} onSessionEnded={onSessionEnded} />}
        {tab === 'members' && (
          <MembersPanel
            me={me}
            initiative={initiative.data}
            members={members.data}
            error={members.error}
            onChanged={reloadAll}
            onSessionEnded={onSessionEnded}
          />
        )}
      </Tabs>
    );
  }

  return (
    <div className="lobby-page">
      <header className="app-header">
        <span className="brand">Concord</span>
        <AccountMenu me={me} onSignOut={onSignOut} />
      </header>
      <main className="lobby">
        <h1 className="lobby-title">
          <bdi dir="auto">{initiative.data?.name ?? 'Concord'}</bdi>
        </h1>
        <p className="lobby-tagline">Agendas, recommendations and joint communiqués, drafted together, live.</p>
        {initiative.data !== null && initiative.error !== null && (
          <p className="stale-note" role="status">
            Could not refresh: {describeApiError(initiative.error)} Showing what was last loaded.
          </p>
        )}
        {body}
        {tab === 'documents' && <OpenByLink />}
      </main>
    </div>
  );
}

/** For a link someone pasted into a chat: opens it here; the server decides whether you may see it. */
function OpenByLink() {
  const ids = useId();
  return (
    <section className="panel open-by-link" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Open a document by link</h2>
      <LinkForm
        label="Document link or id"
        submitText="Open"
        parse={documentIdFromInput}
        invalidMessage="That is not a Concord document link or id. Ids use letters, digits, - and _."
        onLink={(documentId) => navigate(documentPath(documentId))}
      />
    </section>
  );
}
