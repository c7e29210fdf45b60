import { z } from 'zod';
import type { WecomClient } from './client.js';

/** scene: at most 32 bytes of `[0-9a-zA-Z_-]` (kf/add_contact_way). */
export const KF_SCENE = /^[0-9A-Za-z_-]{1,32}$/;

const contactWayResponse = z.looseObject({ errcode: z.number(), url: z.string().url() });

/**
 * `kf/add_contact_way`: a link that opens a chat with the 客服账号 `openKfid`; a session opened through it
 * carries `scene` in its enter_session event. Errors surface as WecomApiError (from `call`).
 */
export async function kfAddContactWay(
  client: Pick<WecomClient, 'call'>,
  input: { openKfid: string; scene: string },
): Promise<{ url: string }> {
  if (!KF_SCENE.test(input.scene)) throw new Error(`invalid kf scene: ${input.scene}`);
  const res = await client.call(
    'kf/add_contact_way',
    { open_kfid: input.openKfid, scene: input.scene },
    contactWayResponse,
  );
  return { url: res.url };
}
