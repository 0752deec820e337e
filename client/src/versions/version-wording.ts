// How versions and audit events read on screen, in one place so the list, the sign-off section, the
// dialogs and the audit trail name things the same way.
import type { AuditEntry, VersionSummary } from '../../../shared/versions.js';
import { DELEGATION_NAMES, type Delegation } from '../../../shared/workspace.js';

export const VERSION_KIND_TAGS: Record<VersionSummary['kind'], string | null> = {
  named: null,
  auto: 'Automatic',
  'before-restore': 'Saved before a restore',
};

/** The name a version is listed under: its own, or what kind of version it is. */
export function versionName(version: Pick<VersionSummary, 'name' | 'kind'>): string {
  if (version.name) return version.name;
  return version.kind === 'auto' ? 'Automatic version' : 'Before a restore';
}

/** "version 3 “Kabul draft 2”", for sentences (names are wrapped in isolates by the caller if needed). */
export function versionLabel(version: Pick<VersionSummary, 'number' | 'name' | 'kind'>): string {
  return `version ${version.number} “${versionName(version)}”`;
}

export function changeSize(change: VersionSummary['change']): { short: string; long: string } {
  return {
    short: `+${change.inserted} −${change.deleted}`,
    long: `${change.inserted} ${change.inserted === 1 ? 'character' : 'characters'} added, ${change.deleted} removed`,
  };
}

function delegationOf(detail: Record<string, unknown>): string {
  const value = detail['delegation'];
  return typeof value === 'string' && value in DELEGATION_NAMES ? DELEGATION_NAMES[value as Delegation] : 'a delegation';
}

/** What an audit event says happened, without who and when (shown beside it). */
export function describeAuditEvent(entry: AuditEntry): string {
  const version = entry.versionNumber === null ? 'a version' : `version ${entry.versionNumber}`;
  switch (entry.kind) {
    case 'version-saved': {
      const kind = entry.detail['versionKind'];
      if (kind === 'auto') return `${version} saved automatically`;
      if (kind === 'before-restore') return `${version} saved before a restore`;
      return `saved ${version}`;
    }
    case 'restored':
      return `restored ${version}`;
    case 'proposed':
      return `proposed ${version} as final`;
    case 'signed':
      return `signed ${version} for ${delegationOf(entry.detail)}`;
    case 'withdrawn':
      return `withdrew the signature for ${delegationOf(entry.detail)} on ${version}`;
    case 'agreed':
      return `${version} agreed by both delegations`;
  }
}
