/**
 * Member API for welfare and polls (mounted inside the mini-app router, after its token check):
 * open programs with my registration, register (the shared service), my registrations, cancel, vote.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../shared/db/client';
import type { Clock } from '../../shared/clock';
import type { Member } from '../../shared/db/queries/members';
import { AppError, conflict, notFound } from '../../shared/errors';
import { idParam, parseInput } from '../../shared/http/validate';
import { getAncestorIds } from '../../shared/db/queries/announcements';
import {
  cancelOwnRegistration,
  getRegistration,
  listMemberRegistrations,
  listOpenPrograms,
  mapActiveRegistrations,
  registrationReference,
  type WelfareRegistration,
} from '../../shared/db/queries/welfare';
import { registerForProgram } from '../../shared/welfare/register';
import { refusalMessage, statusLabel } from '../../shared/welfare/messages';
import { vi } from '../../shared/i18n/vi';
import { castVote, pollResults } from '../../shared/polls/polls';
import { getPoll } from '../../shared/db/queries/polls';

const registerBody = z.object({ answers: z.record(z.string(), z.unknown()).default({}) });
const voteBody = z.object({ option: z.number().int().min(0).max(5) });

function registrationView(r: WelfareRegistration, program: { code: string; title: string; id: number }) {
  return {
    id: r.id,
    reference: registrationReference(program.code, r.id),
    programId: program.id,
    programTitle: program.title,
    status: r.status,
    statusLabel: statusLabel(r.status),
    answers: r.answers,
    note: r.note,
    createdAt: r.createdAt,
  };
}

export function miniAppWelfareRoutes(deps: { db: Db; clock: Clock; needMember: (res: Response) => Member }): Router {
  const { db, clock, needMember } = deps;
  const r = Router();

  r.get('/welfare/programs', async (_req, res) => {
    const member = needMember(res);
    const programs = await listOpenPrograms(db, await getAncestorIds(db, member.branchId), clock.now());
    const mine = await mapActiveRegistrations(db, member.id, programs.map((p) => p.id));
    res.json({
      items: programs.map((p) => {
        const reg = mine.get(p.id);
        return {
          id: p.id,
          code: p.code,
          title: p.title,
          description: p.description,
          eligibility: p.eligibility,
          opensAt: p.opensAt,
          closesAt: p.closesAt,
          capacity: p.capacity,
          fields: p.fields,
          myRegistration: reg ? registrationView(reg, p) : null,
        };
      }),
    });
  });

  r.post('/welfare/programs/:id/registrations', async (req, res) => {
    const member = needMember(res);
    const { id } = parseInput(idParam, req.params);
    const { answers } = parseInput(registerBody, req.body ?? {});
    const out = await registerForProgram(db, { programId: id, member, answers, channel: 'miniapp', now: clock.now() });
    if (out.ok) return void res.status(201).json(registrationView(out.registration, out.program));
    const message = refusalMessage(out);
    switch (out.reason) {
      case 'not_found':
        throw notFound('PROGRAM_NOT_FOUND', message);
      case 'already': {
        const e = conflict('ALREADY_REGISTERED', message);
        return void res.status(409).json({ error: { code: e.code, message }, registration: registrationView(out.registration, out.program) });
      }
      case 'invalid':
        throw new AppError('INVALID_ANSWERS', 400, message, {
          fields: out.issues.map((i) => ({ path: ['answers', ...i.path.map(String)].join('.'), message: i.message })),
        });
      case 'full':
        throw new AppError('PROGRAM_FULL', 400, message);
      case 'not_eligible':
        throw new AppError('NOT_ELIGIBLE', 400, message);
      default:
        throw new AppError('PROGRAM_CLOSED', 400, message);
    }
  });

  r.get('/welfare/registrations', async (_req, res) => {
    const member = needMember(res);
    const rows = await listMemberRegistrations(db, member.id);
    res.json({ items: rows.map((row) => registrationView(row.registration, row.program)) });
  });

  r.post('/welfare/registrations/:id/cancel', async (req, res) => {
    const member = needMember(res);
    const { id } = parseInput(idParam, req.params);
    const row = await cancelOwnRegistration(db, id, member.id);
    if (!row) {
      const existing = await getRegistration(db, id);
      if (!existing || existing.memberId !== member.id) throw notFound('REGISTRATION_NOT_FOUND', 'Không tìm thấy đăng ký');
      throw conflict('REGISTRATION_STATE', `Đăng ký đang ở trạng thái "${statusLabel(existing.status)}", không hủy được.`);
    }
    const items = await listMemberRegistrations(db, member.id);
    const program = items.find((i) => i.registration.id === id)!.program;
    res.json(registrationView(row, program));
  });

  r.get('/polls/:id', async (req, res) => {
    const member = needMember(res);
    const { id } = parseInput(idParam, req.params);
    const poll = await getPoll(db, id);
    if (!poll || !(await getAncestorIds(db, member.branchId)).includes(poll.branchId)) throw notFound('POLL_NOT_FOUND', vi.poll.notFound);
    res.json(await pollResults(db, poll));
  });

  r.post('/polls/:id/vote', async (req, res) => {
    const member = needMember(res);
    const { id } = parseInput(idParam, req.params);
    const { option } = parseInput(voteBody, req.body ?? {});
    const out = await castVote(db, { pollId: id, member, optionIndex: option, now: clock.now() });
    if (out.ok) return void res.json({ pollId: id, option, text: out.option, changed: out.changed });
    if (out.reason === 'closed') throw new AppError('POLL_CLOSED', 400, vi.poll.closed);
    if (out.reason === 'bad_option') throw new AppError('VALIDATION_ERROR', 400, 'option: không có lựa chọn này', { fields: [{ path: 'option', message: 'out of range' }] });
    throw notFound('POLL_NOT_FOUND', out.reason === 'not_in_scope' ? vi.poll.notInScope : vi.poll.notFound);
  });

  return r;
}
