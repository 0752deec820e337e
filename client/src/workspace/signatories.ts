// Who may sign for a delegation in a working group, by the server's rule (PUT /groups/:id/signatories):
// a member of that delegation, not revoked, whose role in the group (or initiative-wide) lets them edit.
import { canEdit, type MemberView, type Role } from '../../../shared/workspace.js';

export function roleOfMemberInGroup(member: Pick<MemberView, 'groupRoles' | 'initiativeRole'>, groupId: string): Role | null {
  return member.groupRoles[groupId] ?? member.initiativeRole;
}

export function signatoryCandidates(members: readonly MemberView[], groupId: string, delegation: 'pk' | 'af'): MemberView[] {
  return members
    .filter((member) => {
      if (member.revoked || member.delegation !== delegation) return false;
      const role = roleOfMemberInGroup(member, groupId);
      return role !== null && canEdit(role);
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
