// The texts of a patent, written twice from the same choices: once in Chinese, once in English,
// so that both say the same thing. An Invention is drawn first (subject, title pattern,
// components, steps, effects); abstract, claims and description are then composed from it.
//
// Draw order matters: family members share one content stream and must draw the same values,
// so nothing here branches its draws on the record's kind or language; the kind only changes
// wording ("本发明" or "本实用新型") and which claims are kept at the end.

import type { Rng, WeightedTable } from "./prng.js";
import { capitalize, chineseList, englishList, withArticle } from "./text.js";
import type { InventionType } from "./timeline.js";
import type { Domain, Term } from "./vocabulary.js";
import { CONNECTIONS, GENERIC_EFFECTS, PHYSICAL_PARAMETERS, POSITIONS } from "./vocabulary.js";

/** The title pattern of an invention. */
type Pattern =
  | "material" // 一种X
  | "material-preparation" // 一种X及其制备方法
  | "preparation" // 一种X的制备方法
  | "material-use" // 一种用于P的X及其制备方法和应用
  | "device" // 一种X
  | "device-purpose" // 一种用于P的X
  | "device-control" // 一种X及其控制方法
  | "device-tech" // 一种基于T的X
  | "method" // 一种Q方法
  | "method-tech" // 一种基于T的Q方法
  | "method-apparatus" // Q方法、装置、设备及存储介质
  | "method-system"; // 一种用于P的Q方法及系统

/** What a patent is about, drawn once and written in both languages. */
export interface Invention {
  /** The technical domain. */
  readonly domain: Domain;
  /** Material, device or method. */
  readonly type: InventionType;
  /** The title pattern. */
  readonly pattern: Pattern;
  /** The claimed object as a noun phrase: `石墨烯复合电极材料`, `信道估计方法`. */
  readonly subject: Term;
  /** Title: zh with 一种, en in sentence case. */
  readonly title: Term;
  /** The title as the object of "discloses": zh `一种…`, en with articles. */
  readonly disclosure: Term;
  /** What it is for (`用于P的`), when the pattern names it. */
  readonly purpose: Term | undefined;
  /** Components (devices), raw materials (materials) or steps (methods): three, plus a fourth for claims. */
  readonly components: readonly Term[];
  /** Preparation or control steps, three. */
  readonly steps: readonly Term[];
  /** Two technical effects. */
  readonly effects: readonly Term[];
  /** Two shortcomings of the prior art. */
  readonly problems: readonly Term[];
  /** Application field. */
  readonly field: Term;
  /** Where components sit and how they connect (devices). */
  readonly position: Term;
  readonly connection: Term;
}

function pickPattern(rng: Rng, type: InventionType): Pattern {
  const u = rng.float();
  switch (type) {
    case "material":
      return u < 0.38 ? "material-preparation" : u < 0.58 ? "material" : u < 0.78 ? "preparation" : "material-use";
    case "device":
      return u < 0.4 ? "device" : u < 0.65 ? "device-purpose" : u < 0.8 ? "device-control" : "device-tech";
    case "process":
      return u < 0.3 ? "method" : u < 0.6 ? "method-tech" : u < 0.8 ? "method-apparatus" : "method-system";
  }
}

/** The object with an optional modifier, skipping modifiers the object already contains. */
function modified(rng: Rng, domain: Domain, object: Term): Term {
  const use = rng.chance(0.6);
  const modifier = rng.weighted(domain.modifiers);
  if (!use || object[0].includes(modifier[0]) || object[1].toLowerCase().includes(modifier[1].toLowerCase())) return object;
  return [modifier[0] + object[0], `${modifier[1]} ${object[1]}`];
}

/**
 * Draws an invention of `type` in `domain`. `utilityModel` only changes the pattern of devices
 * (utility models protect no methods), never the number of draws.
 */
export function drawInvention(rng: Rng, domain: Domain, type: InventionType, utilityModel: boolean): Invention {
  let pattern = pickPattern(rng, type);
  if (utilityModel && pattern === "device-control") pattern = "device";
  const purpose = rng.weighted(domain.purposes);
  const tech = rng.weighted(domain.techs);
  let object: Term;
  if (type === "material") object = modified(rng, domain, rng.weighted(domain.materials ?? domain.devices));
  else if (type === "device") object = modified(rng, domain, rng.weighted(domain.devices));
  else object = rng.weighted(domain.processes);

  const [zh, en] = object;
  let subject: Term = object;
  let title: Term;
  let disclosure: Term;
  switch (pattern) {
    case "material":
    case "device":
      title = [`一种${zh}`, capitalize(en)];
      disclosure = [`一种${zh}`, withArticle(en)];
      break;
    case "material-preparation":
      title = [`一种${zh}及其制备方法`, `${capitalize(en)} and preparation method thereof`];
      disclosure = [`一种${zh}及其制备方法`, `${withArticle(en)} and a preparation method thereof`];
      break;
    case "preparation":
      title = [`一种${zh}的制备方法`, `Preparation method of ${en}`];
      disclosure = [`一种${zh}的制备方法`, `a preparation method of ${withArticle(en)}`];
      break;
    case "material-use":
      title = [`一种用于${purpose[0]}的${zh}及其制备方法和应用`, `${capitalize(en)} for ${purpose[1]}, and preparation method and application thereof`];
      disclosure = [`一种用于${purpose[0]}的${zh}及其制备方法和应用`, `${withArticle(en)} for ${purpose[1]}, and a preparation method and application thereof`];
      break;
    case "device-purpose":
      title = [`一种用于${purpose[0]}的${zh}`, `${capitalize(en)} for ${purpose[1]}`];
      disclosure = [`一种用于${purpose[0]}的${zh}`, `${withArticle(en)} for ${purpose[1]}`];
      break;
    case "device-control":
      title = [`一种${zh}及其控制方法`, `${capitalize(en)} and control method thereof`];
      disclosure = [`一种${zh}及其控制方法`, `${withArticle(en)} and a control method thereof`];
      break;
    case "device-tech":
      title = [`一种基于${tech[0]}的${zh}`, `${capitalize(en)} based on ${tech[1]}`];
      disclosure = [`一种基于${tech[0]}的${zh}`, `${withArticle(en)} based on ${tech[1]}`];
      break;
    case "method":
      subject = [`${zh}方法`, `${en} method`];
      title = [`一种${zh}方法`, `${capitalize(en)} method`];
      disclosure = [`一种${zh}方法`, withArticle(`${en} method`)];
      break;
    case "method-tech":
      subject = [`${zh}方法`, `${en} method`];
      title = [`一种基于${tech[0]}的${zh}方法`, `${capitalize(en)} method based on ${tech[1]}`];
      disclosure = [`一种基于${tech[0]}的${zh}方法`, `${withArticle(`${en} method`)} based on ${tech[1]}`];
      break;
    case "method-apparatus":
      subject = [`${zh}方法`, `${en} method`];
      title = [`${zh}方法、装置、设备及存储介质`, `${capitalize(en)} method and apparatus, device and storage medium`];
      disclosure = [`一种${zh}方法、装置、设备及存储介质`, `${withArticle(`${en} method`)} and apparatus, a device and a storage medium`];
      break;
    case "method-system":
      subject = [`${zh}方法`, `${en} method`];
      title = [`一种用于${purpose[0]}的${zh}方法及系统`, `${capitalize(en)} method and system for ${purpose[1]}`];
      disclosure = [`一种用于${purpose[0]}的${zh}方法及系统`, `${withArticle(`${en} method`)} and system for ${purpose[1]}`];
      break;
  }

  // Step lists are written in working order, so drawn steps are put back in that order.
  const inOrder = (table: WeightedTable<Term>, items: Term[]): Term[] =>
    items.sort((a, b) => table.items.indexOf(a) - table.items.indexOf(b));
  const componentTable =
    type === "device" ? domain.parts : type === "material" ? (domain.ingredients ?? domain.parts) : domain.methodSteps;
  const drawn = rng.distinct(componentTable, 4);
  const components = type === "process" ? [...inOrder(componentTable, drawn.slice(0, 3)), ...drawn.slice(3)] : drawn;
  const stepTable = type === "material" ? (domain.steps ?? domain.methodSteps) : domain.methodSteps;
  const steps = inOrder(stepTable, rng.distinct(stepTable, 3));
  const effects = [rng.weighted(domain.effects), rng.chance(0.5) ? rng.pick(GENERIC_EFFECTS) : rng.weighted(domain.effects)];
  if (effects[1] === effects[0]) effects[1] = rng.pick(GENERIC_EFFECTS);
  const problems = rng.distinct(domain.problems, 2);
  return {
    domain,
    type,
    pattern,
    subject,
    title,
    disclosure,
    purpose: pattern === "material-use" || pattern === "device-purpose" || pattern === "method-system" ? purpose : undefined,
    components,
    steps,
    effects,
    problems,
    field: rng.weighted(domain.fields),
    position: rng.pick(POSITIONS),
    connection: rng.pick(CONNECTIONS),
  };
}

/** "本发明"/"The invention" or "本实用新型"/"The utility model". */
function subjectWord(utilityModel: boolean): Term {
  return utilityModel ? ["本实用新型", "The utility model"] : ["本发明", "The invention"];
}

function term(list: readonly Term[], i: number): Term {
  return (list[i] ?? list[0]) as Term;
}

/** Weight-part ranges for three or four raw materials, as `[lo, hi]` pairs. */
function partRanges(rng: Rng, n: number): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  for (let i = 0; i < n; i++) {
    const lo = i === 0 ? rng.range(20, 60) : rng.range(1, 20);
    out.push([lo, lo + rng.range(5, 40)]);
  }
  return out;
}

/** The structure of a device, in one language: components, position and connection. */
function deviceStructure(inv: Invention, zh: boolean): string {
  const [a, b, c] = [term(inv.components, 0), term(inv.components, 1), term(inv.components, 2)];
  return zh
    ? `包括${a[0]}、${b[0]}和${c[0]}，所述${b[0]}设置于所述${a[0]}的${inv.position[0]}，所述${c[0]}与所述${b[0]}${inv.connection[0]}连接`
    : `comprising ${withArticle(a[1])}, ${withArticle(b[1])} and ${withArticle(c[1])}, wherein the ${b[1]} is arranged ${inv.position[1]} the ${a[1]}, and the ${c[1]} is connected with the ${b[1]} ${inv.connection[1]}`;
}

/** Numbered steps in one language: `S1，…；S2，…` or `S1, …; S2, …`. */
function stepList(steps: readonly Term[], zh: boolean): string {
  let out = "";
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as Term;
    out += zh ? `${i === 0 ? "" : "；"}S${i + 1}，${s[0]}` : `${i === 0 ? "" : "; "}S${i + 1}, ${s[1]}`;
  }
  return out;
}

/**
 * The abstract: the disclosure sentence, the structure (or composition, or steps), then up to
 * two of preparation/control steps, effects and field; 2 to 4 sentences in all.
 */
export function abstractOf(rng: Rng, inv: Invention, utilityModel: boolean): Term {
  const [subjZh, subjEn] = subjectWord(utilityModel);
  const zh: string[] = [`${subjZh}公开了${inv.disclosure[0]}。`];
  const en: string[] = [`${subjEn} discloses ${inv.disclosure[1]}.`];
  const c = inv.components.slice(0, 3);
  const isMethodSubject = inv.type === "process" || inv.pattern === "preparation";
  if (inv.type === "device") {
    zh.push(`所述${inv.subject[0]}${deviceStructure(inv, true)}。`);
    en.push(`The ${inv.subject[1]} comprises ${deviceStructure(inv, false).slice("comprising ".length)}.`);
  } else if (isMethodSubject) {
    const steps = inv.type === "process" ? c : inv.steps;
    zh.push(`所述方法包括：${steps.map((s) => s[0]).join("；")}。`);
    en.push(`The method comprises: ${englishList(steps.map((s) => s[1]))}.`);
  } else {
    zh.push(`所述${inv.subject[0]}由${chineseList(c.map((t) => t[0]))}制备而成。`);
    en.push(`The ${inv.subject[1]} is prepared from ${englishList(c.map((t) => t[1]))}.`);
  }
  const optional: Term[] = [];
  if (inv.pattern === "material-preparation" || inv.pattern === "material-use") {
    optional.push([
      `所述制备方法包括${chineseList(inv.steps.map((s) => s[0]))}等步骤。`,
      `The preparation method comprises the steps of ${englishList(inv.steps.map((s) => s[1]))}.`,
    ]);
  } else if (inv.pattern === "device-control") {
    optional.push([
      `所述控制方法包括${chineseList(inv.steps.slice(0, 2).map((s) => s[0]))}。`,
      `The control method comprises ${englishList(inv.steps.slice(0, 2).map((s) => s[1]))}.`,
    ]);
  }
  const [e1, e2] = [term(inv.effects, 0), term(inv.effects, 1)];
  optional.push([`${subjZh}${e1[0]}，且${e2[0]}。`, `${subjEn} ${e1[1]}, and ${e2[1]}.`]);
  optional.push(
    isMethodSubject
      ? [`该方法可广泛应用于${inv.field[0]}领域。`, `The method can be widely applied in the field of ${inv.field[1]}.`]
      : [`该${inv.subject[0]}可广泛应用于${inv.field[0]}领域。`, `The ${inv.subject[1]} can be widely applied in the field of ${inv.field[1]}.`],
  );
  const extra = rng.int(3); // 0..2 more sentences
  for (let i = 0; i < extra && i < optional.length; i++) {
    const sentence = optional[i] as Term;
    zh.push(sentence[0]);
    en.push(sentence[1]);
  }
  return [zh.join(""), en.join(" ")];
}

/** One claim, in the language it was written in. */
export interface ClaimDraft {
  readonly number: number;
  readonly text: string;
  readonly dependsOn: readonly number[];
}

function numberRange(rng: Rng, lo: number, hi: number): readonly [number, number] {
  const a = rng.range(lo, hi);
  const b = rng.range(lo, hi);
  return a <= b ? [a, b === a ? a + 1 : b] : [b, a];
}

/** A dependent feature of a device, material or method claim, in one language. */
function dependentFeature(rng: Rng, inv: Invention, stepCount: number, methodGroup: boolean, zh: boolean): string {
  const u = rng.float();
  const p = inv.components[rng.int(3)] as Term;
  const q = inv.components[(inv.components.indexOf(p) + 1) % 3] as Term;
  const extra = term(inv.components, 3);
  if (methodGroup || inv.type === "process") {
    const table = inv.type === "material" ? PHYSICAL_PARAMETERS : inv.domain.methodParameters;
    const [pzh, pen, unit, lo, hi] = rng.pick(table);
    const [a, b] = numberRange(rng, lo, hi);
    const step = rng.range(1, stepCount);
    if (u < 0.75) return zh ? `在步骤S${step}中，${pzh}为${a}-${b}${unit}` : `in step S${step}, the ${pen} is ${a}-${b}${unit === "" ? "" : ` ${unit}`}`;
    return zh ? `所述步骤S${step}还包括${extra[0]}` : `the step S${step} further comprises ${extra[1]}`;
  }
  if (inv.type === "device") {
    const position = rng.pick(POSITIONS);
    const connection = rng.pick(CONNECTIONS);
    if (u < 0.4) return zh ? `所述${p[0]}设置于所述${q[0]}的${position[0]}` : `the ${p[1]} is arranged ${position[1]} the ${q[1]}`;
    if (u < 0.75) return zh ? `所述${p[0]}与所述${q[0]}${connection[0]}连接` : `the ${p[1]} is connected with the ${q[1]} ${connection[1]}`;
    return zh ? `还包括${extra[0]}，所述${extra[0]}安装于所述${q[0]}上` : `it further comprises ${withArticle(extra[1])}, and the ${extra[1]} is mounted on the ${q[1]}`;
  }
  const [a, b] = numberRange(rng, 1, 80);
  if (u < 0.35) return zh ? `所述${p[0]}的粒径为${a}-${b}μm` : `the particle size of the ${p[1]} is ${a}-${b} μm`;
  if (u < 0.65) return zh ? `所述${p[0]}的质量分数为${a}%-${b}%` : `the mass fraction of the ${p[1]} is ${a}%-${b}%`;
  if (u < 0.85) return zh ? `还包括${extra[0]}${a}-${b}份` : `it further comprises ${a}-${b} parts of ${extra[1]}`;
  return zh ? `所述${p[0]}的纯度不低于99.${a % 10}%` : `the purity of the ${p[1]} is not less than 99.${a % 10}%`;
}

/** The closing claims a pattern calls for (use; apparatus, device and medium; system), by number of method claims. */
function closingClaims(inv: Invention, zh: boolean): ((k: number) => string)[] {
  const [sZh, sEn] = inv.subject;
  if (inv.pattern === "material-use" && inv.purpose !== undefined) {
    const [pZh, pEn] = inv.purpose;
    return [() => (zh ? `权利要求1所述的${sZh}在${pZh}中的应用。` : `Use of the ${sEn} according to claim 1 in ${pEn}.`)];
  }
  if (inv.pattern === "method-apparatus") {
    return [
      (k) =>
        zh
          ? `一种${sZh.replace(/方法$/, "装置")}，其特征在于，包括用于执行如权利要求1至${k}中任一项所述方法的模块。`
          : `${capitalize(withArticle(sEn.replace(/method$/, "apparatus")))}, characterized by comprising modules configured to perform the method according to any one of claims 1 to ${k}.`,
      (k) =>
        zh
          ? `一种电子设备，包括处理器和存储器，所述存储器存储有计算机程序，所述处理器执行所述计算机程序时实现如权利要求1至${k}中任一项所述的方法。`
          : `An electronic device, comprising a processor and a memory, wherein the memory stores a computer program, and the processor, when executing the computer program, implements the method according to any one of claims 1 to ${k}.`,
      (k) =>
        zh
          ? `一种计算机可读存储介质，其上存储有计算机程序，所述计算机程序被处理器执行时实现如权利要求1至${k}中任一项所述的方法。`
          : `A computer-readable storage medium storing a computer program, wherein the computer program, when executed by a processor, implements the method according to any one of claims 1 to ${k}.`,
    ];
  }
  if (inv.pattern === "method-system") {
    return [
      (k) =>
        zh
          ? `一种${sZh.replace(/方法$/, "系统")}，其特征在于，包括数据采集模块、处理模块和输出模块，用于实现如权利要求1至${k}中任一项所述的方法。`
          : `${capitalize(withArticle(sEn.replace(/method$/, "system")))}, characterized by comprising a data acquisition module, a processing module and an output module configured to implement the method according to any one of claims 1 to ${k}.`,
    ];
  }
  return [];
}

/**
 * The claims, 3 to 10, in one language (`zh` true for Chinese): the main independent claim and
 * its dependents, a second independent claim (preparation or control method) with its
 * dependents where the title announces one, and the closing claims the pattern calls for. The
 * random draws are the same in both languages.
 */
export function claimsOf(rng: Rng, inv: Invention, utilityModel: boolean, zh: boolean): ClaimDraft[] {
  const total = rng.range(3, 10);
  const [sZh, sEn] = inv.subject;
  const c = inv.components;
  const claims: ClaimDraft[] = [];
  const add = (text: string, dependsOn: readonly number[]): number => {
    claims.push({ number: claims.length + 1, text, dependsOn });
    return claims.length;
  };

  // Claim 1.
  const steps = inv.type === "process" ? c.slice(0, 3) : inv.steps;
  const stepText = stepList(steps, zh);
  const ranges = partRanges(rng, 3);
  let methodFirst = false;
  if (inv.type === "device") {
    const structure = deviceStructure(inv, zh);
    add(zh ? `一种${sZh}，其特征在于，${structure}。` : `${capitalize(withArticle(sEn))}, characterized by ${structure}.`, []);
  } else if (inv.type === "material" && inv.pattern !== "preparation") {
    const parts = c.slice(0, 3).map((t, i) => {
      const [lo, hi] = ranges[i] as readonly [number, number];
      return zh ? `${t[0]}${lo}-${hi}份` : `${lo}-${hi} parts of ${t[1]}`;
    });
    add(
      zh
        ? `一种${sZh}，其特征在于，按重量份计，包括以下原料：${chineseList(parts)}。`
        : `${capitalize(withArticle(sEn))}, characterized by comprising the following raw materials in parts by weight: ${englishList(parts)}.`,
      [],
    );
  } else if (inv.pattern === "preparation") {
    methodFirst = true;
    add(
      zh
        ? `一种${sZh}的制备方法，其特征在于，包括以下步骤：${stepText}。`
        : `A preparation method of ${withArticle(sEn)}, characterized by comprising the following steps: ${stepText}.`,
      [],
    );
  } else {
    methodFirst = true;
    add(zh ? `一种${sZh}，其特征在于，包括以下步骤：${stepText}。` : `${capitalize(withArticle(sEn))}, characterized by comprising the following steps: ${stepText}.`, []);
  }

  // A second independent claim where the title announces a preparation or control method.
  const preparation = inv.pattern === "material-preparation" || inv.pattern === "material-use";
  const control = inv.pattern === "device-control" && !utilityModel;
  const second: string | undefined = preparation
    ? zh
      ? `一种如权利要求1所述的${sZh}的制备方法，其特征在于，包括以下步骤：${stepText}。`
      : `A preparation method of the ${sEn} according to claim 1, characterized by comprising the following steps: ${stepText}.`
    : control
      ? zh
        ? `一种如权利要求1所述的${sZh}的控制方法，其特征在于，包括以下步骤：${stepText}。`
        : `A control method of the ${sEn} according to claim 1, characterized by comprising the following steps: ${stepText}.`
      : undefined;
  const closing = closingClaims(inv, zh);
  const closingCount = Math.min(closing.length, Math.max(0, total - 2));
  const secondCount = second !== undefined && total - closingCount >= 3 ? 1 : 0;
  const dependents = Math.max(0, total - 1 - secondCount - closingCount);
  const firstDependents = secondCount === 1 ? Math.ceil(dependents / 2) : dependents;

  const shortName = inv.pattern === "preparation" ? (zh ? "制备方法" : "preparation method") : zh ? sZh : sEn;
  // A dependent feature not claimed before (a few redraws, then whatever comes).
  const features = new Set<string>();
  const fresh = (methodGroup: boolean): string => {
    let feature = dependentFeature(rng, inv, steps.length, methodGroup, zh);
    for (let attempt = 0; attempt < 3 && features.has(feature); attempt++) feature = dependentFeature(rng, inv, steps.length, methodGroup, zh);
    features.add(feature);
    return feature;
  };
  for (let i = 0; i < firstDependents; i++) {
    const target = i === 0 || rng.chance(0.6) ? 1 : rng.range(1, claims.length);
    const feature = fresh(methodFirst);
    add(zh ? `根据权利要求${target}所述的${shortName}，其特征在于，${feature}。` : `The ${shortName} according to claim ${target}, wherein ${feature}.`, [target]);
  }
  if (secondCount === 1 && second !== undefined) {
    const head = add(second, [1]);
    const name = control ? (zh ? "控制方法" : "control method") : zh ? "制备方法" : "preparation method";
    for (let i = 0; i < dependents - firstDependents; i++) {
      const target = i === 0 || rng.chance(0.6) ? head : rng.range(head, claims.length);
      const feature = fresh(true);
      add(zh ? `根据权利要求${target}所述的${name}，其特征在于，${feature}。` : `The ${name} according to claim ${target}, wherein ${feature}.`, [target]);
    }
  }
  const methodClaims = claims.length;
  for (let i = 0; i < closingCount; i++) {
    const make = closing[i] as (k: number) => string;
    const refs = inv.pattern === "material-use" ? [1] : Array.from({ length: methodClaims }, (_, j) => j + 1);
    add(make(methodClaims), refs);
  }
  return claims;
}

/**
 * A description in one language (`zh` true for Chinese): technical field, background, summary
 * and two embodiments. The random draws are the same in both languages.
 */
export function descriptionOf(rng: Rng, inv: Invention, utilityModel: boolean, zh: boolean): string {
  const [subjZh, subjEn] = subjectWord(utilityModel);
  const subjLower = subjEn.charAt(0).toLowerCase() + subjEn.slice(1);
  const [label, field, p1, p2] = [inv.domain.data.label, inv.field, term(inv.problems, 0), term(inv.problems, 1)];
  const [e1, e2] = [term(inv.effects, 0), term(inv.effects, 1)];
  const s = inv.subject;
  const lines: string[] = zh
    ? [
        "技术领域",
        `${subjZh}涉及${label[0]}技术领域，具体涉及${inv.disclosure[0].replace(/^一种/, "")}。`,
        "背景技术",
        `随着${field[0]}的快速发展，${s[0]}的应用日益广泛。然而，现有的${s[0]}普遍存在${p1[0]}、${p2[0]}等问题，难以满足实际需求。`,
        "发明内容",
        `${subjZh}的目的在于提供${inv.disclosure[0]}，以解决现有技术中${p1[0]}的问题。与现有技术相比，${subjZh}${e1[0]}，且${e2[0]}。`,
        "具体实施方式",
        `下面结合具体实施例对${subjZh}作进一步详细说明。`,
      ]
    : [
        "Technical Field",
        `${subjEn} relates to the technical field of ${label[1]}, and in particular to ${inv.disclosure[1]}.`,
        "Background",
        `With the rapid development of ${field[1]}, the ${s[1]} is increasingly widely used. However, the existing ${s[1]} generally suffers from ${p1[1]} and ${p2[1]}, and can hardly meet practical requirements.`,
        "Summary",
        `The object of ${subjLower} is to provide ${inv.disclosure[1]}, so as to solve the problem of ${p1[1]} in the prior art. Compared with the prior art, ${subjLower} ${e1[1]}, and ${e2[1]}.`,
        "Detailed Description",
        `${subjEn} is further described in detail below with reference to specific embodiments.`,
      ];
  for (let k = 1; k <= 2; k++) {
    lines.push(zh ? `实施例${k}` : `Embodiment ${k}`);
    const c = inv.components;
    if (inv.type === "device") {
      const structure = deviceStructure(inv, zh);
      lines.push(
        zh
          ? `如图${k}所示，本实施例提供的${s[0]}${structure}。`
          : `As shown in Fig. ${k}, the ${s[1]} provided in this embodiment comprises ${structure.slice("comprising ".length)}.`,
      );
    } else if (inv.type === "material") {
      const [a, b, d] = [rng.range(20, 80), rng.range(2, 30), rng.range(1, 15)];
      const [i1, i2, i3] = [term(c, 0), term(c, 1), term(c, 2)];
      const [st1, st2, st3] = [term(inv.steps, 0), term(inv.steps, 1), term(inv.steps, 2)];
      lines.push(
        zh
          ? `按重量份计，称取${i1[0]}${a}份、${i2[0]}${b}份和${i3[0]}${d}份，依次${st1[0]}、${st2[0]}和${st3[0]}，得到${s[0]}。`
          : `In parts by weight, ${a} parts of ${i1[1]}, ${b} parts of ${i2[1]} and ${d} parts of ${i3[1]} were weighed, and the steps of ${st1[1]}, ${st2[1]} and ${st3[1]} were carried out in sequence to obtain the ${s[1]}.`,
      );
    } else {
      const [pzh, pen, unit, lo, hi] = rng.pick(inv.domain.methodParameters);
      const value = rng.range(lo, hi);
      const [m1, m2, m3] = [term(c, 0), term(c, 1), term(c, 2)];
      lines.push(
        zh
          ? `本实施例中，首先${m1[0]}，其中${pzh}为${value}${unit}；随后${m2[0]}；最后${m3[0]}。`
          : `In this embodiment, the method comprises ${m1[1]} with a ${pen} of ${value}${unit === "" ? "" : ` ${unit}`}, then ${m2[1]}, and finally ${m3[1]}.`,
      );
    }
  }
  return lines.join("\n");
}
