// `npm run invite -- --role <role> [--group <groupId>] [--delegation pk|af|org] [--name <name>] [--expires <duration>]`
// Prints an invitation URL, working on DATA_DIR directly, whether the server runs or not (SQLite WAL
// lets both write). On an empty DATA_DIR it first creates the dialogue, as a first start would.
import { parseArgs } from 'node:util';
import { DELEGATIONS, ROLES, type Delegation, type Role } from '../shared/workspace.js';
import { readConfig } from '../server/config.js';
import { createInvitation, invitationUrl, prepareWorkspace } from '../server/workspace/prepare-workspace.js';

const USAGE = `Usage: npm run invite -- --role <${ROLES.join('|')}> [--group <groupId>] [--delegation pk|af|org] [--name <name>] [--expires <duration>]
  --group       a group id (omit for the whole initiative); list them with --list-groups
  --delegation  pk (Pakistan), af (Afghanistan) or org (organisers; default)
  --name        the invitee's display name (they may still type their own)
  --expires     how long the link works: 30m, 12h, 7d, 2w (default 14d)
Environment: DATA_DIR, and PUBLIC_URL (else http://HOST:PORT) for the printed link.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/.exec(text.trim());
  if (!match) throw new Error(`cannot read duration "${text}" (use e.g. 30m, 12h, 7d, 2w)`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] as 'm' | 'h' | 'd' | 'w'];
  const ms = Number(match[1]) * unit;
  if (ms <= 0 || ms > 366 * 86_400_000) throw new Error(`duration "${text}" must be between 1 minute and a year`);
  return ms;
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    group: { type: 'string' },
    delegation: { type: 'string', default: 'org' },
    name: { type: 'string' },
    expires: { type: 'string', default: '14d' },
    'list-groups': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const config = readConfig();
const { workspace } = prepareWorkspace(config.dataDir, config.sessionSecret);
try {
  if (values['list-groups']) {
    for (const group of workspace.groups()) process.stdout.write(`${group.id}\t${group.name}${group.archived ? ' (archived)' : ''}\n`);
    process.exit(0);
  }
  if (!values.role || !(ROLES as readonly string[]).includes(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if (!(DELEGATIONS as readonly string[]).includes(values.delegation)) fail(`--delegation must be one of ${DELEGATIONS.join(', ')}`);
  const groupId = values.group ?? null;
  if (groupId !== null && !workspace.group(groupId)) {
    fail(`no group "${groupId}"; groups: ${workspace.groups().map((g) => g.id).join(', ')}`);
  }
  let expiresInMs: number;
  try {
    expiresInMs = parseDuration(values.expires);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const invitation = createInvitation(workspace, {
    role: values.role as Role,
    groupId,
    delegation: values.delegation as Delegation,
    name: values.name?.trim() || null,
    expiresInMs,
  });
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  process.stdout.write(`${invitationUrl(publicUrl, invitation.code)}\n`);
  process.stderr.write(
    `${invitation.role} of ${groupId ?? 'the whole initiative'} (${invitation.delegation}), valid until ${new Date(invitation.expiresAt).toISOString()}\n`,
  );
} finally {
  workspace.close();
}
