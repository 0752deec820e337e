// Signed sessions (HS256 JWT via Hono's helper): the token names a person and expires. The same token
// travels as an httpOnly cookie (browsers), an `Authorization: Bearer` header (scripts) or the
// `token` query parameter (websockets from the stock y-websocket provider, which cannot set headers).
// A token alone is not enough: every use also checks that the person exists and is not revoked, so a
// revocation takes effect on the next request.
import crypto from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { sign, verify } from 'hono/jwt';
import { SESSION_COOKIE, TOKEN_QUERY_PARAMETER } from '../../shared/workspace.js';

const SESSION_LIFETIME_SECONDS = 30 * 24 * 60 * 60;
const ALGORITHM = 'HS256';

export class SessionTokens {
  constructor(private readonly secret: string) {}

  static newSecret(): string {
    return crypto.randomBytes(32).toString('base64url');
  }

  async issue(personId: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return sign({ sub: personId, iat: now, exp: now + SESSION_LIFETIME_SECONDS }, this.secret, ALGORITHM);
  }

  /** The person id in a valid, unexpired token; null for anything else. */
  async personIdOf(token: string): Promise<string | null> {
    try {
      const payload = await verify(token, this.secret, ALGORITHM);
      return typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}

/** Where a request carries its token: header first, then cookie, then (websocket only) the query. */
export function tokenOf(c: Context, allowQuery: boolean): string | null {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || null;
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) return cookie;
  if (allowQuery) return c.req.query(TOKEN_QUERY_PARAMETER) ?? null;
  return null;
}

export function setSessionCookie(c: Context, token: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: SESSION_LIFETIME_SECONDS,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
