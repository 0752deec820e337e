// The dialogue as the lobby shows it: working groups → meetings (number, city, date, time zone) →
// documents, each with who has it open right now. Organisers also get, in place, the tools to add,
// rename and archive each of these and to choose each group's signatories.
import type { DocumentView, GroupView, InitiativeView, MeetingView, MemberView, PersonView } from '../../../shared/workspace.js';
import { AppLink } from '../AppLink.js';
import { documentPath } from '../routes.js';
import { PersonName } from '../workspace/DelegationBadge.js';
import { formatMeetingDate, timeZoneLabel } from '../workspace/meeting-time.js';
import { workspaceApi } from '../workspace/workspace-api.js';
import { DOCUMENT_KIND_NAMES, ROLE_NAMES, delegationName } from '../workspace/wording.js';
import { Disclosure } from './Disclosure.js';
import { SignatoryPicker } from './SignatoryPicker.js';
import { DocumentForm, MeetingForm, NameForm } from './StructureForms.js';
import { useAction } from './use-action.js';

interface TreeProps {
  initiative: InitiativeView;
  /** Everyone, for choosing signatories; null when not loaded (or not an organiser). */
  members: readonly MemberView[] | null;
  /** Reload after a change this page made. */
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}

export function InitiativeTree({ initiative, members, onChanged, onSessionEnded }: TreeProps) {
  const createGroup = useAction(onSessionEnded);
  const visible = initiative.groups;
  return (
    <div className="tree">
      {visible.length === 0 && (
        <p className="empty-note">
          You are not a member of any working group yet. The organisers can send you an invitation link for one.
        </p>
      )}
      {visible.map((group) => (
        <GroupSection key={group.id} group={group} members={members} onChanged={onChanged} onSessionEnded={onSessionEnded} />
      ))}
      {initiative.role === 'organiser' && (
        <Disclosure summary="New working group" className="tree-add">
          {(close) => (
            <NameForm
              fieldLabel="Group name"
              submitLabel="Create group"
              action={createGroup}
              onCancel={close}
              onSubmit={async (name) => {
                const done = await createGroup.run(() => workspaceApi.createGroup(name));
                if (done) {
                  await onChanged();
                  close();
                }
                return done;
              }}
            />
          )}
        </Disclosure>
      )}
    </div>
  );
}

interface GroupProps {
  group: GroupView;
  members: readonly MemberView[] | null;
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}

function GroupSection({ group, members, onChanged, onSessionEnded }: GroupProps) {
  const manages = group.role === 'organiser';
  const rename = useAction(onSessionEnded);
  const archive = useAction(onSessionEnded);
  const addMeeting = useAction(onSessionEnded);
  const headingId = `group-${group.id}`;
  const nextNumber = Math.max(0, ...group.meetings.map((m) => m.number)) + 1;

  return (
    <section className={`group${group.archived ? ' is-archived' : ''}`} aria-labelledby={headingId}>
      <header className="group-header">
        <h2 id={headingId} className="group-name">
          <bdi dir="auto">{group.name}</bdi>
          {group.archived && <span className="archived-tag"> (archived)</span>}
        </h2>
        <span className="role-tag">Your role: {ROLE_NAMES[group.role]}</span>
      </header>

      {/* Organisers see (and change) the same thing in the pickers below. */}
      {!(manages && members) && <Signatories group={group} />}

      {manages && (
        <div className="organiser-tools" aria-label={`Organiser tools for ${group.name}`} role="group">
          <Disclosure summary="Rename group" label={`Rename ${group.name}`}>
            {(close) => (
              <NameForm
                fieldLabel="Group name"
                initial={group.name}
                submitLabel="Save name"
                action={rename}
                onCancel={close}
                onSubmit={async (name) => {
                  const done = await rename.run(() => workspaceApi.updateGroup(group.id, { name }));
                  if (done) {
                    await onChanged();
                    close();
                  }
                  return done;
                }}
              />
            )}
          </Disclosure>
          <ArchiveButton
            archived={group.archived}
            what={group.name}
            busy={archive.busy}
            onToggle={async () => {
              if (await archive.run(() => workspaceApi.updateGroup(group.id, { archived: !group.archived }))) await onChanged();
            }}
          />
          {archive.error && (
            <p className="field-error" role="alert">
              {archive.error}
            </p>
          )}
          {members && <SignatoryPicker group={group} members={members} onChanged={onChanged} onSessionEnded={onSessionEnded} />}
        </div>
      )}

      {group.meetings.length === 0 ? (
        <p className="empty-note">No meetings yet.</p>
      ) : (
        <ol className="meetings">
          {group.meetings.map((meeting) => (
            <MeetingItem key={meeting.id} group={group} meeting={meeting} onChanged={onChanged} onSessionEnded={onSessionEnded} />
          ))}
        </ol>
      )}

      {manages && (
        <Disclosure summary="Add a meeting" label={`Add a meeting to ${group.name}`} className="tree-add">
          {(close) => (
            <MeetingForm
              nextNumber={nextNumber}
              submitLabel="Create meeting"
              action={addMeeting}
              onCancel={close}
              onSubmit={async (meeting) => {
                const done = await addMeeting.run(() => workspaceApi.createMeeting(group.id, meeting));
                if (done) {
                  await onChanged();
                  close();
                }
                return done;
              }}
            />
          )}
        </Disclosure>
      )}
    </section>
  );
}

/** Everyone sees who signs; an unchosen signatory is said plainly. */
function Signatories({ group }: { group: GroupView }) {
  return (
    <p className="signatory-line">
      {(['pk', 'af'] as const).map((delegation, index) => {
        const person = group.signatories[delegation];
        return (
          <span key={delegation}>
            {index > 0 && ' · '}
            Signs for {delegationName(delegation)}: {person ? <PersonName name={person.name} delegation={person.delegation} /> : <em>not chosen</em>}
          </span>
        );
      })}
    </p>
  );
}

function meetingLabel(meeting: MeetingView): string {
  return `meeting ${meeting.number}, ${meeting.city}`;
}

interface MeetingProps {
  group: GroupView;
  meeting: MeetingView;
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}

function MeetingItem({ group, meeting, onChanged, onSessionEnded }: MeetingProps) {
  const manages = group.role === 'organiser';
  const edit = useAction(onSessionEnded);
  const archive = useAction(onSessionEnded);
  const addDocument = useAction(onSessionEnded);
  const headingId = `meeting-${meeting.id}`;
  const title = `Meeting ${meeting.number} — ${meeting.city}`;

  return (
    <li className={`meeting${meeting.archived ? ' is-archived' : ''}`}>
      <h3 id={headingId} className="meeting-title">
        Meeting {meeting.number} — <bdi dir="auto">{meeting.city}</bdi>
        {meeting.archived && <span className="archived-tag"> (archived)</span>}
      </h3>
      <p className="meeting-when">
        {formatMeetingDate(meeting.date)} · <span className="meeting-zone">{timeZoneLabel(meeting.timeZone)}</span>
      </p>

      {meeting.documents.length === 0 ? (
        <p className="empty-note">No documents yet.</p>
      ) : (
        <ul className="documents" aria-label={`Documents of ${title}`}>
          {meeting.documents.map((document) => (
            <DocumentItem key={document.id} manages={manages} document={document} onChanged={onChanged} onSessionEnded={onSessionEnded} />
          ))}
        </ul>
      )}

      {manages && (
        <div className="organiser-tools organiser-tools--meeting" role="group" aria-label={`Organiser tools for ${title}`}>
          <Disclosure summary="Add a document" label={`Add a document to ${title}`}>
            {(close) => (
              <DocumentForm
                meetingLabel={meetingLabel(meeting)}
                action={addDocument}
                onCancel={close}
                onSubmit={async (kind, documentTitle) => {
                  const done = await addDocument.run(() => workspaceApi.createDocument(meeting.id, kind, documentTitle));
                  if (done) {
                    await onChanged();
                    close();
                  }
                  return done;
                }}
              />
            )}
          </Disclosure>
          <Disclosure summary="Edit meeting" label={`Edit ${title}`}>
            {(close) => (
              <MeetingForm
                initial={{ number: meeting.number, city: meeting.city, date: meeting.date, timeZone: meeting.timeZone }}
                submitLabel="Save meeting"
                action={edit}
                onCancel={close}
                onSubmit={async (change) => {
                  const done = await edit.run(() => workspaceApi.updateMeeting(meeting.id, change));
                  if (done) {
                    await onChanged();
                    close();
                  }
                  return done;
                }}
              />
            )}
          </Disclosure>
          <ArchiveButton
            archived={meeting.archived}
            what={title}
            busy={archive.busy}
            onToggle={async () => {
              if (await archive.run(() => workspaceApi.updateMeeting(meeting.id, { archived: !meeting.archived }))) await onChanged();
            }}
          />
          {archive.error && (
            <p className="field-error" role="alert">
              {archive.error}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

interface DocumentProps {
  manages: boolean;
  document: DocumentView;
  onChanged: () => Promise<void>;
  onSessionEnded: () => void;
}

function DocumentItem({ manages, document, onChanged, onSessionEnded }: DocumentProps) {
  const rename = useAction(onSessionEnded);
  const archive = useAction(onSessionEnded);
  return (
    <li className={`document-entry${document.archived ? ' is-archived' : ''}`} data-document-id={document.id}>
      <div className="document-line">
        <span className="kind-tag">{DOCUMENT_KIND_NAMES[document.kind]}</span>
        <AppLink href={documentPath(document.id)} className="document-link">
          <bdi dir="auto">{document.title}</bdi>
        </AppLink>
        {document.archived && <span className="archived-tag">(archived)</span>}
        <OnlinePeople people={document.online} title={document.title} />
      </div>
      {manages && (
        <div className="organiser-tools organiser-tools--document" role="group" aria-label={`Organiser tools for ${document.title}`}>
          <Disclosure summary="Rename" label={`Rename ${document.title}`}>
            {(close) => (
              <NameForm
                fieldLabel="Document title"
                initial={document.title}
                submitLabel="Save title"
                action={rename}
                onCancel={close}
                onSubmit={async (title) => {
                  const done = await rename.run(() => workspaceApi.updateDocument(document.id, { title }));
                  if (done) {
                    await onChanged();
                    close();
                  }
                  return done;
                }}
              />
            )}
          </Disclosure>
          <ArchiveButton
            archived={document.archived}
            what={document.title}
            busy={archive.busy}
            onToggle={async () => {
              if (await archive.run(() => workspaceApi.updateDocument(document.id, { archived: !document.archived }))) await onChanged();
            }}
          />
          {archive.error && (
            <p className="field-error" role="alert">
              {archive.error}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

/** Who has the document open right now (from the server's sockets, refreshed with the lobby). */
export function OnlinePeople({ people, title }: { people: readonly PersonView[]; title: string }) {
  if (people.length === 0) return <span className="online online--empty">No one in it now</span>;
  return (
    <span className="online">
      <span className="online-heading" aria-hidden="true">
        In it now:
      </span>
      <ul className="online-list" aria-label={`In ${title} now`}>
        {people.map((person) => (
          <li key={person.id}>
            <PersonName name={person.name} delegation={person.delegation} />
          </li>
        ))}
      </ul>
    </span>
  );
}

/** Archiving hides an item from everyone but organisers and can be undone, so it needs no confirmation. */
function ArchiveButton({ archived, what, busy, onToggle }: { archived: boolean; what: string; busy: boolean; onToggle: () => Promise<void> }) {
  return (
    <button type="button" disabled={busy} aria-label={`${archived ? 'Restore' : 'Archive'} ${what}`} onClick={() => void onToggle()}>
      {archived ? 'Restore' : 'Archive'}
    </button>
  );
}
