/**
 * Welfare registration in chat: "đăng ký" → open programs as buttons → the program's questions one at
 * a time (state in `conversations`) → summary → "xác nhận" → saved through the shared registration
 * service (same path as the mini-app) → reference number.
 */
import { button, type ZaloButton } from '../../../shared/zalo';
import { vi } from '../../../shared/i18n/vi';
import type { WelfareField } from '../../../shared/db/schema';
import { getAncestorIds } from '../../../shared/db/queries/announcements';
import { getProgram, getPrograms, listOpenPrograms, type WelfareProgram } from '../../../shared/db/queries/welfare';
import { fieldAnswerSchema, fieldHint, formatAnswer, isChoiceAnswer } from '../../../shared/welfare/fields';
import { precheckRegistration, registerForProgram } from '../../../shared/welfare/register';
import { formatVnDate, refusalMessage } from '../../../shared/welfare/messages';
import { foldCommand, type Composer } from '../../router/composer';
import type { BotContext } from '../../router/context';

export const WELFARE_WORDS = /^(dang ky|dang ki|dangky|dk|dang ky phuc loi|dang ki phuc loi|phuc loi|dang ky phuc loi cong doan|dang ky nhan qua)$/;
const CONFIRM_WORDS = /^(xac nhan|dong y|ok|oke|okay|oki|co|gui|xac nhan gui|yes|vang|da|duoc|dung|dung roi)( (a|nhe|nha|luon))?$/;
const SKIP_WORDS = /^(bo qua|khong|khong co|-|skip)$/;
const PICK_PAYLOAD = /^#pl:(\d{1,9})$/;
const FLOW = 'welfare';
const MAX_BUTTONS = 5;
/** Programs numbered in one chat message (a Zalo text holds 2,000 characters). */
const MAX_LISTED = 15;

interface FlowData {
  programId?: number;
  index?: number;
  answers?: Record<string, string | number>;
  choices?: number[];
}

/** Titles in the numbered list are cut so 15 of them fit one Zalo text (2,000 characters). */
const shorten = (s: string, max: number) => {
  const chars = Array.from(s); // by code point: never half an emoji
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
};

const data = (ctx: BotContext) => (ctx.state.data ?? {}) as FlowData;

async function listPrograms(ctx: BotContext) {
  if (!ctx.member) {
    ctx.clearFlow();
    await ctx.reply(vi.link.needLink, [button.query('Liên kết', 'liên kết')]);
    return;
  }
  const { db, clock } = ctx.services;
  const programs = await listOpenPrograms(db, await getAncestorIds(db, ctx.member.branchId), clock.now());
  if (!programs.length) {
    ctx.clearFlow();
    await ctx.reply(vi.welfare.none);
    return;
  }
  // Zalo shows at most 5 buttons: every listed program is numbered (typing the number picks it), the
  // first 5 also get a button. A very long list stops at MAX_LISTED and points to the mini-app.
  const listed = programs.slice(0, MAX_LISTED);
  const withButton = listed.slice(0, MAX_BUTTONS);
  ctx.setState({ ...ctx.state, flow: FLOW, step: 'pick', data: { choices: listed.map((p) => p.id) } });
  const lines = listed.map((p, i) => `${i + 1}. ${shorten(p.title, 80)} (hạn ${formatVnDate(p.closesAt)})`);
  if (programs.length > listed.length) lines.push(vi.welfare.moreInMiniApp(programs.length - listed.length));
  const head = listed.length > withButton.length ? vi.welfare.pickByNumber(programs.length, withButton.length) : vi.welfare.pick(listed.length);
  await ctx.reply(`${head}\n${lines.join('\n')}`, withButton.map((p) => button.hiddenQuery(p.title.slice(0, 100), `#pl:${p.id}`)));
}

function fieldButtons(field: WelfareField): ZaloButton[] | undefined {
  const buttons: ZaloButton[] = [];
  if (field.type === 'choice') for (const o of field.options ?? []) buttons.push(button.query(o.slice(0, 100), o));
  if (!field.required) buttons.push(button.query(vi.welfare.skip, vi.welfare.skip));
  return buttons.length && buttons.length <= MAX_BUTTONS ? buttons : undefined;
}

async function askField(ctx: BotContext, program: WelfareProgram, index: number, prefix?: string) {
  const field = program.fields[index];
  let text = vi.welfare.ask(index + 1, program.fields.length, field.label, field.required);
  const buttons = fieldButtons(field);
  if (field.type === 'choice' && !buttons) text += '\n' + (field.options ?? []).map((o, i) => `${i + 1}. ${o}`).join('\n');
  else if (field.type === 'date') text += ' (ngày/tháng/năm)';
  await ctx.reply(prefix ? `${prefix}\n${text}` : text, buttons);
}

async function askConfirm(ctx: BotContext, program: WelfareProgram, answers: Record<string, string | number>) {
  const lines = program.fields.map((f) => `• ${f.label}: ${formatAnswer(f, answers[f.key])}`);
  await ctx.reply(vi.welfare.summary(program.title, lines), [button.query(vi.welfare.confirm, vi.welfare.confirm), button.query(vi.welfare.cancel, vi.welfare.cancel)]);
}

async function startProgram(ctx: BotContext, programId: number) {
  if (!ctx.member) return listPrograms(ctx);
  const { db, clock } = ctx.services;
  const pre = await precheckRegistration(db, { programId, member: ctx.member, now: clock.now() });
  if (!pre.ok) {
    ctx.clearFlow();
    await ctx.reply(refusalMessage(pre));
    return;
  }
  const program = pre.program;
  await ctx.reply(vi.welfare.intro(program.title, formatVnDate(program.closesAt)) + (program.description ? `\n${program.description}` : ''));
  ctx.setState({ ...ctx.state, flow: FLOW, step: program.fields.length ? 'field' : 'confirm', data: { programId, index: 0, answers: {} } });
  if (program.fields.length) await askField(ctx, program, 0);
  else await askConfirm(ctx, program, {});
}

async function onPick(ctx: BotContext, text: string) {
  const choices = data(ctx).choices ?? [];
  const folded = foldCommand(text);
  let id: number | undefined;
  if (/^\d+$/.test(folded)) id = choices[Number(folded) - 1];
  if (id === undefined) id = (await getPrograms(ctx.services.db, choices)).find((p) => foldCommand(p.title) === folded)?.id;
  if (id === undefined) return ctx.reply(vi.welfare.pickAgain);
  return startProgram(ctx, id);
}

async function onField(ctx: BotContext, text: string) {
  const d = data(ctx);
  const program = d.programId ? await getProgram(ctx.services.db, d.programId) : undefined;
  const index = d.index ?? 0;
  const field = program?.fields[index];
  if (!program || !field) {
    ctx.clearFlow();
    await ctx.reply(vi.welfare.notFound);
    return;
  }
  // "Không" is a skip word, unless the question offers it as an option.
  const skipped = !field.required && SKIP_WORDS.test(foldCommand(text)) && !(field.type === 'choice' && isChoiceAnswer(field.options ?? [], text));
  const parsed = fieldAnswerSchema(field).safeParse(skipped ? undefined : text);
  if (!parsed.success) {
    await askField(ctx, program, index, vi.welfare.invalid(fieldHint(field)));
    return;
  }
  const answers = { ...(d.answers ?? {}) };
  if (parsed.data === undefined) delete answers[field.key];
  else answers[field.key] = parsed.data;
  const next = index + 1;
  if (next < program.fields.length) {
    ctx.patchState({ step: 'field', data: { ...d, index: next, answers } });
    await askField(ctx, program, next);
  } else {
    ctx.patchState({ step: 'confirm', data: { ...d, index: next, answers } });
    await askConfirm(ctx, program, answers);
  }
}

async function onConfirm(ctx: BotContext, text: string) {
  if (!CONFIRM_WORDS.test(foldCommand(text))) return ctx.reply(vi.welfare.confirmAgain, [button.query(vi.welfare.confirm, vi.welfare.confirm), button.query(vi.welfare.cancel, vi.welfare.cancel)]);
  const d = data(ctx);
  ctx.clearFlow();
  if (!ctx.member || !d.programId) return listPrograms(ctx);
  const { db, clock } = ctx.services;
  const out = await registerForProgram(db, { programId: d.programId, member: ctx.member, answers: d.answers ?? {}, channel: 'chat', now: clock.now() });
  if (out.ok) await ctx.reply(vi.welfare.success(out.program.title, out.reference));
  else await ctx.reply(refusalMessage(out));
}

export function register(bot: Composer) {
  // While the flow is active it owns the next text message (global cancel/menu words run earlier).
  bot.use(async (ctx, next) => {
    if (ctx.state.flow !== FLOW || ctx.eventName !== 'user_send_text' || ctx.text === undefined) return next();
    const text = ctx.text;
    if (WELFARE_WORDS.test(foldCommand(text))) return listPrograms(ctx);
    const pick = PICK_PAYLOAD.exec(text);
    if (pick) return startProgram(ctx, Number(pick[1]));
    if (!ctx.member) {
      ctx.clearFlow();
      return next();
    }
    if (ctx.state.step === 'pick') return onPick(ctx, text);
    if (ctx.state.step === 'field') return onField(ctx, text);
    if (ctx.state.step === 'confirm') return onConfirm(ctx, text);
    ctx.clearFlow();
    return next();
  });

  bot.hears(WELFARE_WORDS, listPrograms);
  bot.use((ctx, next) => {
    const pick = ctx.eventName === 'user_send_text' && ctx.text ? PICK_PAYLOAD.exec(ctx.text) : null;
    return pick ? startProgram(ctx, Number(pick[1])) : next();
  });
}
