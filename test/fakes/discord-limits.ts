/**
 * Discord's request-body rules, as its published API documents them (2026-11): what the real
 * API rejects with `400 {"code": 50035, "message": "Invalid Form Body", "errors": {…}}`. The fake
 * Discord runs every body the bot sends through these, so a payload Discord would refuse fails
 * the test instead of passing silently.
 */

export interface Violation {
  path: string;
  message: string;
}

type Check = (v: Violation[]) => void;

const str = (x: unknown): x is string => typeof x === 'string';
const len = (x: unknown) => (str(x) ? [...x].length : 0);

function max(path: string, value: unknown, n: number, v: Violation[], min = 0): void {
  if (value === undefined || value === null) {
    if (min > 0) v.push({ path, message: 'This field is required' });
    return;
  }
  if (!str(value)) return void v.push({ path, message: 'Must be a string' });
  const l = len(value);
  if (l > n || l < min) v.push({ path, message: `Must be between ${min} and ${n} in length.` });
}

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  customId: 100,
  buttonLabel: 80,
  rows: 5,
  rowItems: 5,
  threadName: 100,
  modalTitle: 45,
  inputLabel: 45,
  inputMax: 4000,
  choices: 25,
  choiceName: 100,
  commandName: 32,
  commandDescription: 100,
  options: 25,
  nonce: 25,
} as const;

function embedChars(e: any): number {
  return (
    len(e.title) +
    len(e.description) +
    len(e.footer?.text) +
    len(e.author?.name) +
    (e.fields ?? []).reduce((n: number, f: any) => n + len(f.name) + len(f.value), 0)
  );
}

function checkComponents(rows: unknown, v: Violation[], path = 'components'): void {
  if (rows === undefined) return;
  if (!Array.isArray(rows)) return void v.push({ path, message: 'Must be an array' });
  if (rows.length > LIMITS.rows) v.push({ path, message: `Must be ${LIMITS.rows} or fewer in length.` });
  rows.forEach((row: any, i) => {
    if (row?.type !== 1) return void v.push({ path: `${path}.${i}.type`, message: 'Top-level components must be action rows (type 1)' });
    const items = row.components ?? [];
    if (items.length === 0 || items.length > LIMITS.rowItems)
      v.push({ path: `${path}.${i}.components`, message: `Must be between 1 and ${LIMITS.rowItems} in length.` });
    items.forEach((c: any, j: number) => {
      const p = `${path}.${i}.components.${j}`;
      if (c.type === 2) {
        if (c.style !== 5) max(`${p}.custom_id`, c.custom_id, LIMITS.customId, v, 1);
        max(`${p}.label`, c.label, LIMITS.buttonLabel, v);
      }
      if (c.type === 4) {
        max(`${p}.custom_id`, c.custom_id, LIMITS.customId, v, 1);
        max(`${p}.label`, c.label, LIMITS.inputLabel, v, 1);
        if (c.max_length !== undefined && (c.max_length < 1 || c.max_length > LIMITS.inputMax))
          v.push({ path: `${p}.max_length`, message: `Must be between 1 and ${LIMITS.inputMax}.` });
      }
    });
  });
}

/** A message body: create, edit, webhook/follow-up, interaction reply (callback 4/7 data). */
export function checkMessage(body: any, opts: { edit?: boolean } = {}): Violation[] {
  const v: Violation[] = [];
  if (!body || typeof body !== 'object') return [{ path: '', message: 'Body must be a JSON object' }];
  max('content', body.content, LIMITS.content, v);
  if (body.nonce !== undefined && (str(body.nonce) ? len(body.nonce) > LIMITS.nonce : !Number.isInteger(body.nonce)))
    v.push({ path: 'nonce', message: `Must be ${LIMITS.nonce} or fewer in length.` });
  const embeds = body.embeds ?? [];
  if (!Array.isArray(embeds)) v.push({ path: 'embeds', message: 'Must be an array' });
  else {
    if (embeds.length > LIMITS.embeds) v.push({ path: 'embeds', message: `Must be ${LIMITS.embeds} or fewer in length.` });
    embeds.forEach((e: any, i: number) => {
      max(`embeds.${i}.title`, e.title, LIMITS.embedTitle, v);
      max(`embeds.${i}.description`, e.description, LIMITS.embedDescription, v);
      max(`embeds.${i}.footer.text`, e.footer?.text, LIMITS.footer, v);
      max(`embeds.${i}.author.name`, e.author?.name, LIMITS.authorName, v);
      const fields = e.fields ?? [];
      if (fields.length > LIMITS.embedFields) v.push({ path: `embeds.${i}.fields`, message: `Must be ${LIMITS.embedFields} or fewer in length.` });
      fields.forEach((f: any, j: number) => {
        max(`embeds.${i}.fields.${j}.name`, f.name, LIMITS.fieldName, v, 1);
        max(`embeds.${i}.fields.${j}.value`, f.value, LIMITS.fieldValue, v, 1);
      });
      if (e.footer && !str(e.footer.text)) v.push({ path: `embeds.${i}.footer.text`, message: 'This field is required' });
    });
    const total = embeds.reduce((n: number, e: any) => n + embedChars(e), 0);
    if (total > LIMITS.embedTotal) v.push({ path: 'embeds', message: `Embed size exceeds maximum size of ${LIMITS.embedTotal}` });
  }
  checkComponents(body.components, v);
  if (!opts.edit && !str(body.content || undefined) && embeds.length === 0 && !(body.components?.length > 0) && !(body.sticker_ids?.length > 0)) {
    v.push({ path: '', message: 'Cannot send an empty message' });
  }
  if (body.allowed_mentions !== undefined) {
    const am = body.allowed_mentions;
    if (typeof am !== 'object' || (am.parse && !Array.isArray(am.parse))) v.push({ path: 'allowed_mentions', message: 'Invalid allowed mentions' });
    else {
      // Discord: a type in `parse` and an explicit list of the same type are mutually exclusive.
      for (const kind of ['roles', 'users'] as const) {
        if (am.parse?.includes(kind) && am[kind] !== undefined)
          v.push({ path: `allowed_mentions.${kind}`, message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive` });
        if (
          am[kind] !== undefined &&
          (!Array.isArray(am[kind]) || am[kind].length > 100 || am[kind].some((id: unknown) => typeof id !== 'string' || !/^\d+$/.test(id)))
        )
          v.push({ path: `allowed_mentions.${kind}`, message: 'Must be at most 100 snowflakes' });
      }
    }
  }
  return v;
}

export function checkThread(body: any): Violation[] {
  const v: Violation[] = [];
  max('name', body?.name, LIMITS.threadName, v, 1);
  if (body?.auto_archive_duration !== undefined && ![60, 1440, 4320, 10080].includes(body.auto_archive_duration))
    v.push({ path: 'auto_archive_duration', message: 'Value must be one of {60, 1440, 4320, 10080}.' });
  return v;
}

/** `POST /interactions/{id}/{token}/callback`. */
export function checkCallback(body: any): Violation[] {
  const v: Violation[] = [];
  const type = body?.type;
  if (![1, 4, 5, 6, 7, 8, 9, 10, 12].includes(type)) return [{ path: 'type', message: 'Value must be a valid interaction callback type' }];
  const data = body.data ?? {};
  if (type === 4 || type === 7) v.push(...checkMessage(data, { edit: type === 7 }));
  if (type === 8) {
    const choices = data.choices ?? [];
    if (choices.length > LIMITS.choices) v.push({ path: 'data.choices', message: `Must be ${LIMITS.choices} or fewer in length.` });
    choices.forEach((c: any, i: number) => {
      max(`data.choices.${i}.name`, c.name, LIMITS.choiceName, v, 1);
      if (str(c.value)) max(`data.choices.${i}.value`, c.value, LIMITS.choiceName, v, 1);
    });
  }
  if (type === 9) {
    max('data.title', data.title, LIMITS.modalTitle, v, 1);
    max('data.custom_id', data.custom_id, LIMITS.customId, v, 1);
    if (!Array.isArray(data.components) || data.components.length < 1) v.push({ path: 'data.components', message: 'Must be between 1 and 5 in length.' });
    checkComponents(data.components, v, 'data.components');
  }
  return v;
}

const NAME_RE = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkOptions(options: any[] | undefined, path: string, v: Violation[]): void {
  if (!options) return;
  if (options.length > LIMITS.options) v.push({ path, message: `Must be ${LIMITS.options} or fewer in length.` });
  options.forEach((o: any, i: number) => {
    const p = `${path}.${i}`;
    if (!str(o.name) || !NAME_RE.test(o.name) || o.name !== o.name.toLowerCase()) v.push({ path: `${p}.name`, message: 'Invalid option name' });
    max(`${p}.description`, o.description, LIMITS.commandDescription, v, 1);
    if (o.choices && o.choices.length > LIMITS.choices) v.push({ path: `${p}.choices`, message: `Must be ${LIMITS.choices} or fewer in length.` });
    if (o.choices && o.autocomplete) v.push({ path: `${p}.autocomplete`, message: 'Autocomplete cannot be set with choices' });
    if (o.max_length !== undefined && (o.max_length < 1 || o.max_length > 6000)) v.push({ path: `${p}.max_length`, message: 'Must be between 1 and 6000.' });
    checkOptions(o.options, `${p}.options`, v);
  });
}

/** `PUT /applications/{id}/commands` (bulk overwrite). */
export function checkCommands(body: any): Violation[] {
  const v: Violation[] = [];
  if (!Array.isArray(body)) return [{ path: '', message: 'Must be an array' }];
  body.forEach((c: any, i: number) => {
    if (!str(c.name) || !NAME_RE.test(c.name) || c.name !== c.name.toLowerCase()) v.push({ path: `${i}.name`, message: 'Invalid command name' });
    max(`${i}.description`, c.description, LIMITS.commandDescription, v, 1);
    checkOptions(c.options, `${i}.options`, v);
  });
  return v;
}

/** The 400 Discord answers with: errors nested by path, each with `_errors`. */
export function formBodyError(violations: Violation[]): { code: number; message: string; errors: Record<string, unknown> } {
  const errors: Record<string, any> = {};
  for (const { path, message } of violations) {
    let node = errors;
    for (const part of path.split('.').filter(Boolean)) node = node[part] ??= {};
    (node._errors ??= []).push({ code: 'BASE_TYPE_BAD_LENGTH', message });
  }
  return { code: 50035, message: 'Invalid Form Body', errors };
}

export type { Check };
