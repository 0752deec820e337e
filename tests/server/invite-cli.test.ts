// `npm run invite` works on a DATA_DIR directly: before the server ever ran (it creates the dialogue
// then) and while it runs; its link signs a person in with exactly the role it names.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeDataDir, repoRoot, startTestServer } from '../helpers/test-server.js';

const run = promisify(execFile);

async function invite(dataDir: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'scripts/invite.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: 'https://concord.example.org' },
  });
}

describe('npm run invite', () => {
  it('prints a link that signs a person into the group with the role it names', async () => {
    const dataDir = await makeDataDir();
    const { stdout } = await invite(dataDir, ['--role', 'observer', '--group', 'civil-society', '--delegation', 'af', '--expires', '2d']);
    const link = stdout.trim();
    expect(link).toMatch(/^https:\/\/concord\.example\.org\/join\/[A-Za-z0-9_-]{20,}$/);

    const server = await startTestServer({ DATA_DIR: dataDir });
    const session = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invitation: link.split('/join/')[1], name: 'ناظر' }),
    });
    expect(session.status).toBe(201);
    const { token } = (await session.json()) as { token: string };
    const me = (await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ name: 'ناظر', delegation: 'af', initiativeRole: null, groupRoles: { 'civil-society': 'observer' } });
  });

  it('refuses an unknown role or group with a clear message and exit code 2', async () => {
    const dataDir = await makeDataDir();
    await expect(invite(dataDir, ['--role', 'chair'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--role must be one of') as unknown });
    await expect(invite(dataDir, ['--role', 'delegate', '--group', 'nowhere'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no group "nowhere"') as unknown,
    });
  });
});
