/**
 * Mini-app authentication: `Authorization: Bearer <token from zmp-sdk getAccessToken()>`, verified with
 * Zalo's graph API (never trusted from the client) and cached a few minutes by token hash. The verified
 * per-app id is `members.zalo_app_user_id`; `user_id_by_oa`, when Zalo gives it, fills `zalo_user_id`.
 */
import crypto from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Db } from '../../shared/db/client';
import { AppError, unauthorized } from '../../shared/errors';
import { getMemberByZaloAppUserId, getMemberByZaloUserId, linkMemberZalo, type Member } from '../../shared/db/queries/members';
import { describeZaloFailure, isZaloError, type MiniAppUser, type ZaloClient } from '../../shared/zalo';

export interface MiniAppLocals {
  zaloUser: MiniAppUser;
  /** The raw token (needed to exchange a phone token); never logged. */
  zaloToken: string;
  member?: Member;
}

export function miniAppLocals(res: Response): MiniAppLocals {
  return res.locals as MiniAppLocals;
}

export class VerifiedTokenCache {
  private map = new Map<string, { user: MiniAppUser; until: number }>();
  constructor(
    private readonly ttlMs = 3 * 60_000,
    private readonly max = 10_000,
  ) {}
  private key(token: string) {
    return crypto.createHash('sha256').update(token).digest('base64url');
  }
  get(token: string, now: number): MiniAppUser | undefined {
    const k = this.key(token);
    const hit = this.map.get(k);
    if (!hit) return undefined;
    if (hit.until < now) {
      this.map.delete(k);
      return undefined;
    }
    return hit.user;
  }
  set(token: string, user: MiniAppUser, now: number) {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(this.key(token), { user, until: now + this.ttlMs });
  }
}

export function requireMiniAppUser(deps: { db: Db; zalo: ZaloClient; cache: VerifiedTokenCache; now: () => Date }): RequestHandler {
  return async (req, res, next) => {
    try {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (!m) throw unauthorized('Thiếu mã xác thực Zalo / missing Zalo access token');
      const token = m[1];
      const now = deps.now().getTime();
      let user = deps.cache.get(token, now);
      if (!user) {
        try {
          user = await deps.zalo.getMiniAppUser(token);
        } catch (err) {
          if (isZaloError(err) && describeZaloFailure(err).kind !== 'retryable') {
            throw unauthorized('Phiên Zalo không hợp lệ hoặc đã hết hạn. Vui lòng mở lại mini-app.');
          }
          throw new AppError('ZALO_UNAVAILABLE', 503, 'Không xác minh được với Zalo lúc này, vui lòng thử lại.');
        }
        deps.cache.set(token, user, now);
      }
      let member = await getMemberByZaloAppUserId(deps.db, user.id);
      if (!member && user.userIdByOa) {
        member = await getMemberByZaloUserId(deps.db, user.userIdByOa);
        if (member) await linkMemberZalo(deps.db, member.id, { zaloAppUserId: user.id });
      } else if (member && user.userIdByOa && !member.zaloUserId) {
        await linkMemberZalo(deps.db, member.id, { zaloUserId: user.userIdByOa });
      }
      Object.assign(res.locals, { zaloUser: user, zaloToken: token, member } satisfies MiniAppLocals);
      next();
    } catch (err) {
      next(err);
    }
  };
}
