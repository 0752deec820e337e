// @vitest-environment jsdom
// The invitation step as a person meets it: asks for a name (in any script), signs in with the code
// from the link, and explains a dead link in words instead of failing silently.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { MeView } from '../../shared/workspace.js';
import { JoinPage, cleanName, describeJoinFailure } from '../../client/src/pages/JoinPage.js';
import { ApiError } from '../../client/src/workspace/workspace-api.js';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const CODE = 'Abc123_-xyzXYZ987654321';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

async function render(me: MeView | null, answer: Response) {
  const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(answer));
  vi.stubGlobal('fetch', fetchMock);
  const onJoined = vi.fn(() => Promise.resolve());
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root?.render(<JoinPage code={CODE} me={me} onJoined={onJoined} />);
    await Promise.resolve();
  });
  const submit = async (): Promise<void> => {
    // Submitting starts a request; act waits for the answer's state updates too.
    await act(async () => {
      container.querySelector('form')?.requestSubmit();
      await Promise.resolve();
    });
  };
  const type = (text: string): void => {
    const input = container.querySelector<HTMLInputElement>('input[name="name"]');
    if (!input) throw new Error('no name field');
    act(() => {
      // React listens to the native setter's input event.
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };
  return { container, fetchMock, onJoined, submit, type };
}

describe('JoinPage', () => {
  it('asks for a name, typed in its own direction, before sending anything', async () => {
    const { container, fetchMock, submit } = await render(null, jsonResponse(201, {}));
    const input = container.querySelector<HTMLInputElement>('input[name="name"]');
    expect(input?.getAttribute('dir')).toBe('auto');
    expect(container.querySelector(`label[for="${input?.id}"]`)?.textContent).toBe('Your name');
    await submit();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('Please enter the name others will see.');
    expect(input?.getAttribute('aria-invalid')).toBe('true');
  });

  it('signs in with the link’s code and the cleaned name, then hands over', async () => {
    const { fetchMock, onJoined, submit, type } = await render(null, jsonResponse(201, { token: 't', person: {} }));
    type('  زرمینه   احمدی ');
    await submit();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/session');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({ invitation: CODE, name: 'زرمینه احمدی' });
    expect(onJoined).toHaveBeenCalledTimes(1);
  });

  it('says plainly when the link has expired, and offers the way out instead of the form', async () => {
    const { container, onJoined, submit, type } = await render(
      null,
      jsonResponse(403, { error: { code: 'invitation_expired', message: 'this invitation link has expired' } }),
    );
    type('Amina');
    await submit();
    expect(onJoined).not.toHaveBeenCalled();
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('This invitation link has expired. Ask the organisers for a new one.');
    expect(container.querySelector('form')).toBeNull();
    expect(container.querySelector('a')?.getAttribute('href')).toBe('/');
  });

  it('someone already signed in just accepts the link, as themselves', async () => {
    const me: MeView = { id: 'p1', name: 'Amina', delegation: 'pk', initiativeRole: null, groupRoles: { security: 'delegate' } };
    const { container, fetchMock, submit } = await render(me, jsonResponse(201, {}));
    expect(container.querySelector('input[name="name"]')).toBeNull();
    expect(container.querySelector('button[type="submit"]')?.textContent).toBe('Accept invitation');
    await submit();
    expect(JSON.parse(fetchMock.mock.calls[0]![1]?.body as string)).toEqual({ invitation: CODE, name: 'Amina' });
  });
});

describe('describeJoinFailure', () => {
  it('tells a dead link from a passing problem', () => {
    expect(describeJoinFailure(new ApiError(403, 'invitation_invalid', 'x'))).toMatchObject({ linkIsDead: true });
    expect(describeJoinFailure(new ApiError(403, 'invitation_expired', 'x'))).toMatchObject({ linkIsDead: true });
    expect(describeJoinFailure(new ApiError(429, 'rate_limited', 'x'))).toMatchObject({ linkIsDead: false });
    expect(describeJoinFailure(new ApiError(0, 'unreachable', 'Could not reach the Concord server.'))).toEqual({
      message: 'Could not reach the Concord server.',
      linkIsDead: false,
    });
  });
});

describe('cleanName', () => {
  it('trims, collapses whitespace and caps the length', () => {
    expect(cleanName('  Amina   Khan ')).toBe('Amina Khan');
    expect(cleanName('   ')).toBe('');
    expect(cleanName('x'.repeat(100))).toHaveLength(60);
  });
});
