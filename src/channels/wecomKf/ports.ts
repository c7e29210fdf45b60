/** The 微信客服 channel's own storage: the sync cursor per 客服账号 and each citizen's sending window. */

export interface KfWindow {
  openKfid: string;
  externalUserid: string;
  /** send_time of the citizen's latest message (WeCom's clock); null when they only entered the session. */
  lastCustomerAt: Date | null;
  /** Epoch ms of our sends (kf/send_msg) that may still count against the 5-message limit. */
  sends: number[];
  welcomeCode: string | null;
  welcomeCodeAt: Date | null;
  /** Bumped by every write: updates are compare-and-set on it. */
  version: number;
  updatedAt: Date;
}

/** A pull wanted for a 客服账号: the latest notice's token and when it came; `seq` counts the notices. */
export interface KfPullRequest {
  openKfid: string;
  token: string;
  requestedAt: Date;
  seq: number;
}

/** What a pulled page says about one citizen: they wrote (at send_time), or entered with a welcome code. */
export interface KfTouch {
  openKfid: string;
  externalUserid: string;
  customerAt?: Date;
  welcomeCode?: { code: string; at: Date };
}

/**
 * Row-level operations, one adapter per dialect (sqliteKfStore.ts, mysqlKfStore.ts); the rules over them
 * (kfWindows.ts) are written once. Every write is a compare-and-set, so two instances cannot overwrite each other.
 */
export interface KfStore {
  /** The saved cursor of a 客服账号; '' when none (sync_msg then starts from the earliest message of 3 days). */
  cursor(openKfid: string): Promise<string>;
  /** Moves the cursor from `from` to `to`; false when another puller moved it first (nothing written). */
  advanceCursor(openKfid: string, from: string, to: string, at: Date): Promise<boolean>;
  /** Records that a pull is wanted (a notice with this token was stored): creates the row or bumps its seq. */
  requestPull(openKfid: string, token: string, at: Date): Promise<void>;
  /** The pull wanted for this 客服账号, if any. */
  pullRequest(openKfid: string): Promise<KfPullRequest | null>;
  /** Clears the request if it is still at `seq` (no notice since it was read); false otherwise. */
  clearPullRequest(openKfid: string, seq: number): Promise<boolean>;
  window(openKfid: string, externalUserid: string): Promise<KfWindow | null>;
  /** The window of the 客服账号 the citizen wrote to most recently. */
  latestWindow(externalUserid: string): Promise<KfWindow | null>;
  /** Creates the row (version 0); false when it exists already. */
  insertWindow(w: Omit<KfWindow, 'version'>): Promise<boolean>;
  /** Writes `w` (version + 1) when the row is still at `w.version`; false otherwise. */
  replaceWindow(w: KfWindow): Promise<boolean>;
  /**
   * WeCom reported a message we sent undelivered (msg_send_fail): the outbox item (matched by id and creation time,
   * both in our msgid) becomes failed with the reason, whether it was pending or already sent. False: no such item.
   */
  markUndelivered(f: { outboxId: number; createdAt: Date; reason: string; at: Date }): Promise<boolean>;
}
