import { mayStart, type CompiledFlow, type TriggerRole } from '../flows/index.js';
import type { Actor } from './actor.js';
import type { DraftSeed, Feature, MenuChoice } from './feature.js';
import type { Database } from './ports.js';

/** What is waiting for this person now (unanswered notices, co-sign invitations), from every feature. */
export type PendingLookup = (actor: Actor, now: Date) => Promise<string[]>;

export function pendingLookup(features: readonly Pick<Feature, 'pending'>[], db: Database): PendingLookup {
  return async (actor, now) => {
    const lists = await Promise.all(features.map((f) => f.pending?.(actor, db, now) ?? Promise.resolve([])));
    return lists.flat();
  };
}

/** What a citizen may start with a tap, from every feature (open surveys). */
export type CitizenChoicesLookup = (actor: Actor, now: Date) => Promise<MenuChoice[]>;

export function citizenChoicesLookup(
  features: readonly Pick<Feature, 'citizenChoices'>[],
  db: Database,
): CitizenChoicesLookup {
  return async (actor, now) => {
    const lists = await Promise.all(
      features.map((f) => f.citizenChoices?.(actor, db, now) ?? Promise.resolve([])),
    );
    return lists.flat();
  };
}

/** Drafts every feature offers before they are stored (see Feature.draftSeeds). */
export type DraftSeedLookup = (actor: Actor, now: Date) => Promise<DraftSeed[]>;

export function draftSeedLookup(
  features: readonly Pick<Feature, 'draftSeeds'>[],
  db: Database,
): DraftSeedLookup {
  return async (actor, now) => {
    const lists = await Promise.all(
      features.map((f) => f.draftSeeds?.(actor, db, now) ?? Promise.resolve([])),
    );
    return lists.flat();
  };
}

/**
 * The answer to a message nobody understood: what this person (member or staff) can start now, by its keyword,
 * what is waiting for them, and that they may simply ask in their own words.
 */
export function helpAnswer(
  flows: readonly CompiledFlow[],
  role: TriggerRole,
  waiting: readonly string[],
): string {
  const can = flows
    .filter((f) => mayStart(f, role))
    .flatMap((f) => {
      const k = f.def.triggers?.keywords?.[0];
      return k === undefined ? [] : [`· 发送「${k}」：${f.def.title}`];
    });
  return [
    '抱歉，我没有理解您的意思。您现在可以：',
    ...can,
    ...(waiting.length > 0 ? ['正在等您处理：', ...waiting.map((w) => `· ${w}`)] : []),
    '也可以直接用自己的话问我，比如「提案截止时间是什么时候」「开会怎么请假」。',
  ].join('\n');
}
