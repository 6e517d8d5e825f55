import { describe, expect, it } from "vitest";
import { analyze, analyzeQueryTerm, ANALYZER_VERSION, ENGLISH_STOP_WORDS } from "./analyzer.js";
import { charClass, CJK, MARK, SEPARATOR, WORD } from "./char-class.js";

/** Whether `phrase` occurs in `tokens` at consecutive positions: how the index matches terms. */
function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    if (phrase.every((token, j) => tokens[i + j] === token)) return true;
  }
  return false;
}

describe("analyze", () => {
  it.each<[string, string, string[]]>([
    ["English", "The lithium batteries are running with new electrodes.", ["lithium", "batteri", "run", "new", "electrod"]],
    ["English repeats", "Cell, cell; CELLS!", ["cell", "cell", "cell"]],
    ["Chinese bigrams", "石墨烯电池", ["石墨", "墨烯", "烯电", "电池"]],
    ["Chinese unigram run", "锂、电池。", ["锂", "电池"]],
    ["Chinese single character", "电", ["电"]],
    ["mixed scripts", "锂离子battery技术", ["锂离", "离子", "batteri", "技术"]],
    ["mixed with spaces", "采用 LiFePO4 正极", ["采用", "lifepo4", "正极"]],
    ["full-width", "ＬＩＴＨＩＵＭ　ＢＡＴＴＥＲＩＥＳ，２０１０年", ["lithium", "batteri", "2010", "年"]],
    ["half-width katakana and Japanese", "ﾊﾞｯﾃﾘｰ 電池を使う", ["バッ", "ッテ", "テリ", "リー", "電池", "池を", "を使", "使う"]],
    ["Korean", "배터리 셀", ["배터", "터리", "셀"]],
    ["digits", "3.5 V, 1200mAh at 25℃", ["3", "5", "v", "1200mah", "25", "c"]],
    ["IPC-like", "H01M10/052; H01M 4/36", ["h01m10", "052", "h01m", "4", "36"]],
    ["ids and dates", "CN-112345678-A of 2010-05-04", ["cn", "112345678", "2010", "05", "04"]],
    ["case folding", "STRASSE Straße ΣΟΦΟΣ σοφος", ["strass", "strass", "σοφοσ", "σοφοσ"]],
    ["accents, composed by NFKC", "cafe\u0301 naïve", ["café", "naïve"]],
    ["ligatures", "ﬁbers", ["fiber"]],
    ["apostrophes", "the battery's cells aren’t 'quoted'", ["batteri", "cell", "arent", "quot"]],
    ["Cyrillic is a word, not stemmed", "Литий-ионный аккумулятор", ["литий", "ионный", "аккумулятор"]],
    ["beyond the BMP", "𠀀𠀁 😀 x", ["𠀀𠀁", "x"]],
    ["only punctuation", "—（）…！", []],
    ["empty", "", []],
  ])("%s", (_name, text, tokens) => {
    expect(analyze(text)).toEqual(tokens);
  });

  it("drops only the small English stop list", () => {
    expect(analyze("the first of the layers is between them")).toEqual(["first", "layer", "between", "them"]);
    expect(ENGLISH_STOP_WORDS.has("between")).toBe(false);
  });

  it("declares its version", () => {
    expect(ANALYZER_VERSION).toBe(1);
  });
});

describe("analyzeQueryTerm", () => {
  it("matches a Chinese word as a phrase of bigrams inside longer text", () => {
    const query = analyzeQueryTerm("石墨烯");
    expect(query).toEqual(["石墨", "墨烯"]);
    expect(containsPhrase(analyze("一种新型石墨烯电池材料"), query)).toBe(true);
    expect(containsPhrase(analyze("石墨 烯"), query)).toBe(false);
  });

  it("finds two-character words at both ends of a run", () => {
    const text = analyze("锂离子电池");
    expect(containsPhrase(text, analyzeQueryTerm("锂离"))).toBe(true);
    expect(containsPhrase(text, analyzeQueryTerm("电池"))).toBe(true);
    expect(containsPhrase(text, analyzeQueryTerm("离子电池"))).toBe(true);
  });

  it("normalises query terms as the index does", () => {
    expect(analyzeQueryTerm("Running")).toEqual(["run"]);
    expect(analyzeQueryTerm("ＢＡＴＴＥＲＩＥＳ")).toEqual(["batteri"]);
    expect(analyzeQueryTerm("The")).toEqual([]);
    expect(containsPhrase(analyze("A lithium battery pack"), analyzeQueryTerm("lithium batteries"))).toBe(true);
  });

  it("keeps the last token of a prefix term unstemmed", () => {
    expect(analyzeQueryTerm("batter", { prefix: true })).toEqual(["batter"]);
    expect(analyzeQueryTerm("the", { prefix: true })).toEqual(["the"]);
    expect(analyzeQueryTerm("running batter", { prefix: true })).toEqual(["run", "batter"]);
    expect(analyzeQueryTerm("battery's", { prefix: true })).toEqual(["batterys"]);
    expect(analyzeQueryTerm("石墨", { prefix: true })).toEqual(["石墨"]);
  });
});

describe("charClass", () => {
  it("classifies letters, CJK, marks and separators", () => {
    expect([0x61, 0x30, 0x4e00, 0x3042, 0x30a2, 0x30fc, 0xac00, 0x301, 0x20, 0x3002, 0x20000, 0x1f600].map(charClass)).toEqual([
      WORD, WORD, CJK, CJK, CJK, CJK, CJK, MARK, SEPARATOR, SEPARATOR, CJK, SEPARATOR,
    ]);
  });
});
