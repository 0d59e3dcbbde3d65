import { RateLimiterMemory } from "rate-limiter-flexible";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTIONS, can, isRole, ROLES, type Action, type Role } from "#app/models/authorization.server";
import { hashPassword, needsRehash, verifyPassword } from "#app/models/passwords.server";
import { createAuthRateLimits, createRateLimiter } from "#app/models/rate-limit.server";
import {
  clearSessionCookie,
  parseSessionCookie,
  SESSION_COOKIE_NAME,
  sessionCookie,
} from "#app/models/sessions.server";
import { MINUTE_MS } from "#tests/support/clock";

describe("rate limiter", () => {
  // rate-limiter-flexible reads Date.now and ends windows with timers: Vitest's fake clock moves both.
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-03-02T09:00:00Z"), toFake: ["Date", "setTimeout", "clearTimeout"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("allows the limit per window, then tells how long to wait", async () => {
    const limiter = createRateLimiter({ name: "test", limit: 3, windowMs: 15 * MINUTE_MS });
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await limiter.consume("192.0.2.1")).toEqual({ ok: true });
    expect(await limiter.consume("192.0.2.1")).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
    // Other keys have their own count.
    expect(await limiter.consume("192.0.2.2")).toEqual({ ok: true });

    vi.advanceTimersByTime(10 * MINUTE_MS + 500);
    expect(await limiter.consume("192.0.2.1")).toEqual({ ok: false, retryAfterSeconds: 5 * 60 });
  });

  it("starts afresh when the window has passed", async () => {
    const limiter = createRateLimiter({ name: "test", limit: 2, windowMs: MINUTE_MS });
    await limiter.consume("k");
    await limiter.consume("k");
    expect((await limiter.consume("k")).ok).toBe(false);
    vi.advanceTimersByTime(MINUTE_MS);
    expect(await limiter.consume("k")).toEqual({ ok: true });
    expect(await limiter.consume("k")).toEqual({ ok: true });
    expect((await limiter.consume("k")).ok).toBe(false);
  });

  it("forgets a key on reset", async () => {
    const limiter = createRateLimiter({ name: "test", limit: 1, windowMs: MINUTE_MS });
    await limiter.consume("k");
    expect((await limiter.consume("k")).ok).toBe(false);
    await limiter.reset("k");
    expect((await limiter.consume("k")).ok).toBe(true);
  });

  it("keeps memory bounded: expired keys are dropped, then the oldest", async () => {
    const limiter = createRateLimiter({ name: "test", limit: 1, windowMs: MINUTE_MS, maxKeys: 100 });
    for (let key = 0; key < 1_000; key += 1) await limiter.consume(`old-${key}`);
    expect(limiter.size).toBe(100);
    // The oldest keys were forgotten in the store too, so they may try again.
    expect((await limiter.consume("old-0")).ok).toBe(true);
    expect((await limiter.consume("old-999")).ok).toBe(false);

    vi.advanceTimersByTime(MINUTE_MS);
    await limiter.consume("new");
    expect(limiter.size).toBe(1);
  });

  it("counts in the store it is given, under its own name", async () => {
    const made: { keyPrefix: string; points: number; duration: number }[] = [];
    const limiter = createRateLimiter({
      name: "sign-up-ip",
      limit: 2,
      windowMs: 60 * MINUTE_MS,
      store: (options) => {
        made.push(options);
        return new RateLimiterMemory(options);
      },
    });
    expect(made).toEqual([{ keyPrefix: "sign-up-ip", points: 2, duration: 3600 }]);
    expect(await limiter.consume("k")).toEqual({ ok: true });
  });

  it("groups the limits of sign-in, sign-up and password reset", async () => {
    const limits = createAuthRateLimits();
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await limits.signIn("192.0.2.1", "anna@prv.example")).ok).toBe(true);
    // The same account, however written.
    expect(await limits.signIn("192.0.2.1", " ANNA@prv.example")).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
    // Another account from the same address still may, up to the per-address limit of 50.
    for (let attempt = 0; attempt < 40; attempt += 1) expect((await limits.signIn("192.0.2.1", `user${attempt}@prv.example`)).ok).toBe(true);
    expect((await limits.signIn("192.0.2.1", "ny@prv.example")).ok).toBe(false);
    expect((await limits.signIn("192.0.2.2", "anna@prv.example")).ok).toBe(true);

    await limits.signInSucceeded("192.0.2.2", "anna@prv.example");
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await limits.signUp("192.0.2.3")).ok).toBe(true);
    expect((await limits.signUp("192.0.2.3")).ok).toBe(false);

    // Five reset mails an hour to one address, whichever addresses ask.
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await limits.passwordReset(`198.51.100.${attempt}`, "anna@prv.example")).ok).toBe(true);
    expect((await limits.passwordReset("198.51.100.99", "anna@prv.example")).ok).toBe(false);
    vi.advanceTimersByTime(60 * MINUTE_MS);
    expect((await limits.passwordReset("198.51.100.99", "anna@prv.example")).ok).toBe(true);
  });
});

describe("authorization", () => {
  const expected: Record<Role, Action[]> = {
    member: ["read", "comment"],
    editor: ["read", "comment", "edit-draft", "create-draft", "resolve-threads", "moderate-comments", "freeze-version"],
    host: ["read", "comment", "freeze-version", "manage-workshops"],
    admin: [...ACTIONS],
  };

  it.each(ROLES)("%s may do exactly its actions", (role) => {
    expect(ACTIONS.filter((action) => can(role, action)).sort()).toEqual([...expected[role]].sort());
  });

  it("lets anonymous visitors only read", () => {
    expect(ACTIONS.filter((action) => can(null, action))).toEqual(["read"]);
  });

  it("recognises roles", () => {
    expect(isRole("host")).toBe(true);
    expect(isRole("owner")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

describe("passwords", () => {
  it("hashes with argon2id and verifies", async () => {
    const hash = await hashPassword("korrekt häst batteri");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hash, "korrekt häst batteri")).toBe(true);
    expect(await verifyPassword(hash, "Korrekt häst batteri")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")).toBe(true);
  });
});

describe("session cookie", () => {
  const token = "q5c8T0b3J2m1Yw9z-x_VhKf7RrLp4nGdAe6uSiOoWjE";

  it("is HttpOnly, SameSite=Lax, for the whole site, and Secure over HTTPS", () => {
    expect(sessionCookie(token, { secure: true })).toBe(
      `${SESSION_COOKIE_NAME}=${token}; Path=/; Max-Age=7776000; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(sessionCookie(token, { secure: false })).not.toContain("Secure");
    expect(clearSessionCookie({ secure: true })).toBe(`${SESSION_COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure`);
  });

  it("is read from a Cookie header among others, ignoring malformed values", () => {
    expect(parseSessionCookie(`samrad_locale=sv; ${SESSION_COOKIE_NAME}=${token}; other=1`)).toBe(token);
    expect(parseSessionCookie(`${SESSION_COOKIE_NAME}=forged; ${SESSION_COOKIE_NAME}=${token}`)).toBe(token);
    expect(parseSessionCookie(`${SESSION_COOKIE_NAME}=`)).toBeNull();
    expect(parseSessionCookie(`x${SESSION_COOKIE_NAME}=${token}`)).toBeNull();
    expect(parseSessionCookie(undefined)).toBeNull();
    expect(parseSessionCookie(null)).toBeNull();
  });
});
