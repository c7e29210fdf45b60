import type { KfStore, KfTouch, KfWindow } from './ports.js';

/**
 * The sending rules of 微信客服 (doc 94677): "仅当微信客户在主动发送消息给客服后的48小时内，企业可发送消息给客户，最多可
 * 发送5条消息；若用户继续发送消息，企业可再次下发消息". We never provoke 95001 / 95002: a send is checked and its slot
 * taken (compare-and-set, so two senders cannot both take the last one) before the API is called.
 */
export const KF_MAX_SENDS = 5;
export const KF_WINDOW_MS = 48 * 3600_000;
/** Clocks differ (send_time is WeCom's): a send this close to the end of the window is not attempted. */
export const KF_WINDOW_SAFETY_MS = 5 * 60_000;
/**
 * A send counts in the window of the citizen's latest message when WeCom may have taken it after that message. Each
 * send is recorded at the time WeCom answered it (`settleSend`; the reservation time while it is in flight), so a send
 * answered before the message reached WeCom did not count there, and one answered after it did. send_time is whole
 * seconds, so a send in the same second as the message counts; this margin adds a skew between WeCom's clock and
 * ours (both NTP-synchronised). Kept small on purpose: a citizen who answers a question a second or two after it
 * arrived must not find the next question withheld.
 */
export const KF_OVERLAP_MS = 250;
/** A welcome_code is valid 20 s from the event (doc 95122); we do not try it in its last seconds. */
export const KF_WELCOME_CODE_MS = 18_000;

const MAX_CAS_TRIES = 20;

export type SendCheck = { ok: true } | { ok: false; errcode: 95001 | 95002; reason: string };

/** Whether one more message may go to this citizen now (pure). */
export function checkWindow(w: KfWindow | null, now: Date): SendCheck {
  const last = w?.lastCustomerAt ?? null;
  if (!w || last === null)
    return { ok: false, errcode: 95002, reason: 'kf window closed: the citizen has not written to us' };
  if (now.getTime() >= last.getTime() + KF_WINDOW_MS - KF_WINDOW_SAFETY_MS)
    return { ok: false, errcode: 95002, reason: 'kf window closed: 48 h since the citizen last wrote' };
  if (countedSends(w) >= KF_MAX_SENDS)
    return {
      ok: false,
      errcode: 95001,
      reason: `kf quota used: ${KF_MAX_SENDS} messages since the citizen last wrote`,
    };
  return { ok: true };
}

/** Our sends that count against the 5 of the citizen's current window. */
export function countedSends(w: KfWindow): number {
  const last = w.lastCustomerAt;
  if (last === null) return w.sends.length;
  return w.sends.filter((t) => t >= last.getTime() - KF_OVERLAP_MS).length;
}

function pruned(sends: number[], now: Date): number[] {
  const oldest = now.getTime() - KF_WINDOW_MS - KF_OVERLAP_MS;
  return sends.filter((t) => t >= oldest);
}

/** Takes one sending slot (returns the check that refused it otherwise). */
export async function reserveSend(
  store: KfStore,
  key: { openKfid: string; externalUserid: string },
  now: Date,
): Promise<SendCheck> {
  for (let i = 0; i < MAX_CAS_TRIES; i++) {
    const w = await store.window(key.openKfid, key.externalUserid);
    const check = checkWindow(w, now);
    if (!check.ok || !w) return check;
    const next = { ...w, sends: [...pruned(w.sends, now), now.getTime()], updatedAt: now };
    if (await store.replaceWindow(next)) return check;
  }
  throw new Error('kf window: too much contention');
}

/**
 * Records when WeCom accepted a send taken at `takenAt` (its answer came at `answeredAt`): the send counts in the
 * window of any citizen message that reached WeCom before that answer, not only before the reservation.
 */
export async function settleSend(
  store: KfStore,
  key: { openKfid: string; externalUserid: string },
  takenAt: Date,
  answeredAt: Date,
): Promise<void> {
  if (answeredAt.getTime() <= takenAt.getTime()) return;
  for (let i = 0; i < MAX_CAS_TRIES; i++) {
    const w = await store.window(key.openKfid, key.externalUserid);
    const at = w?.sends.indexOf(takenAt.getTime()) ?? -1;
    if (!w || at < 0) return;
    const sends = w.sends.map((t, j) => (j === at ? answeredAt.getTime() : t));
    if (await store.replaceWindow({ ...w, sends })) return;
  }
}

/** Gives a slot back: WeCom refused the message outright (an errcode), so it was not sent. */
export async function releaseSend(
  store: KfStore,
  key: { openKfid: string; externalUserid: string },
  takenAt: Date,
): Promise<void> {
  for (let i = 0; i < MAX_CAS_TRIES; i++) {
    const w = await store.window(key.openKfid, key.externalUserid);
    const at = w?.sends.indexOf(takenAt.getTime()) ?? -1;
    if (!w || at < 0) return;
    const sends = [...w.sends.slice(0, at), ...w.sends.slice(at + 1)];
    if (await store.replaceWindow({ ...w, sends })) return;
  }
}

/** Records what a pulled page says: a citizen wrote (the window opens again), or entered with a welcome code. */
export async function touchWindows(store: KfStore, touches: readonly KfTouch[], now: Date): Promise<void> {
  for (const t of touches) await touchWindow(store, t, now);
}

async function touchWindow(store: KfStore, t: KfTouch, now: Date): Promise<void> {
  for (let i = 0; i < MAX_CAS_TRIES; i++) {
    const w = await store.window(t.openKfid, t.externalUserid);
    if (!w) {
      const created = await store.insertWindow({
        openKfid: t.openKfid,
        externalUserid: t.externalUserid,
        lastCustomerAt: t.customerAt ?? null,
        sends: [],
        welcomeCode: t.welcomeCode?.code ?? null,
        welcomeCodeAt: t.welcomeCode?.at ?? null,
        updatedAt: now,
      });
      if (created) return;
      continue;
    }
    const last = w.lastCustomerAt;
    const customerAt =
      t.customerAt && (last === null || t.customerAt > last) ? t.customerAt : w.lastCustomerAt;
    const newerCode =
      t.welcomeCode && (w.welcomeCodeAt === null || t.welcomeCode.at > w.welcomeCodeAt)
        ? t.welcomeCode
        : null;
    // A message pulled again (an overlapping page) changes nothing.
    if (customerAt === w.lastCustomerAt && newerCode === null) return;
    const next: KfWindow = {
      ...w,
      lastCustomerAt: customerAt,
      sends: pruned(w.sends, now),
      ...(newerCode ? { welcomeCode: newerCode.code, welcomeCodeAt: newerCode.at } : {}),
      updatedAt: now,
    };
    if (await store.replaceWindow(next)) return;
  }
  throw new Error('kf window: too much contention');
}

/** The citizen's unused, still valid welcome code, taken (it works once); null when there is none. */
export async function takeWelcomeCode(
  store: KfStore,
  key: { openKfid: string; externalUserid: string },
  now: Date,
): Promise<string | null> {
  for (let i = 0; i < MAX_CAS_TRIES; i++) {
    const w = await store.window(key.openKfid, key.externalUserid);
    if (!w?.welcomeCode || !w.welcomeCodeAt) return null;
    if (now.getTime() - w.welcomeCodeAt.getTime() > KF_WELCOME_CODE_MS) return null;
    // welcomeCodeAt stays: the enter_session pulled again from an overlapping page is then not newer, and does not
    // bring back the spent code (WeCom would refuse it).
    if (await store.replaceWindow({ ...w, welcomeCode: null, updatedAt: now })) return w.welcomeCode;
  }
  return null;
}
