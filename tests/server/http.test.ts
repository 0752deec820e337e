// The HTTP edge of the server: health, and document ids checked before any websocket upgrade.
import { describe, expect, it } from 'vitest';
import { COLLAB_PATH } from '../../shared/protocol.js';
import { TOKEN_QUERY_PARAMETER } from '../../shared/workspace.js';
import { tryUpgrade } from '../helpers/raw-socket.js';
import { ensureDocument, organiserToken } from '../helpers/test-access.js';
import { getHealth, startTestServer } from '../helpers/test-server.js';

describe('HTTP edge', () => {
  it('answers GET /healthz with 200 {"ok":true}', async () => {
    const server = await startTestServer();
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it('refuses an invalid document id with HTTP 400 instead of upgrading', async () => {
    const server = await startTestServer();
    // Signed in, so that a refusal can only be about the id.
    const withToken = `?${TOKEN_QUERY_PARAMETER}=${encodeURIComponent(await organiserToken(server.url))}`;
    const invalid = [
      'a'.repeat(65), // one over the limit
      'has.dot',
      'has%20space',
      'has%2Fslash',
      'caf%C3%A9', // é
      'semi;colon',
      "quote'",
      'tilde~',
    ];
    for (const id of invalid) {
      const answer = await tryUpgrade(server.url, `${COLLAB_PATH}/${id}${withToken}`);
      expect(answer.status, `id "${id}"`).toBe(400);
    }
    // The boundary cases that are valid do upgrade (so the 400s above are about the id, not the route).
    for (const id of ['a', 'a'.repeat(64), 'Doc_2024-06-01', '-_-']) {
      await ensureDocument(server.url, id);
      const answer = await tryUpgrade(server.url, `${COLLAB_PATH}/${id}${withToken}`);
      expect(answer.status, `id "${id}"`).toBe(101);
    }
    expect((await getHealth(server.url)).status).toBe(200);
  });

  it('never upgrades a path that is not /collab/<one valid id>', async () => {
    const server = await startTestServer();
    // Dot segments are normalised away before routing, so `..` can never name a document.
    const paths = [`${COLLAB_PATH}/`, `${COLLAB_PATH}/a/b`, COLLAB_PATH, `${COLLAB_PATH}/..`, `${COLLAB_PATH}/%2E%2E`, '/other/doc'];
    for (const path of paths) {
      const answer = await tryUpgrade(server.url, path);
      expect(answer.status, path).not.toBe(101);
    }
    expect((await getHealth(server.url)).status).toBe(200);
  });
});
