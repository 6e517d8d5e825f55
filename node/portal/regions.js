// Province-level divisions of GB/T 2260, by the first two digits of a region code.
const PROVINCES = {
  11: ["北京", "Beijing"], 12: ["天津", "Tianjin"], 13: ["河北", "Hebei"], 14: ["山西", "Shanxi"],
  15: ["内蒙古", "Inner Mongolia"], 21: ["辽宁", "Liaoning"], 22: ["吉林", "Jilin"], 23: ["黑龙江", "Heilongjiang"],
  31: ["上海", "Shanghai"], 32: ["江苏", "Jiangsu"], 33: ["浙江", "Zhejiang"], 34: ["安徽", "Anhui"],
  35: ["福建", "Fujian"], 36: ["江西", "Jiangxi"], 37: ["山东", "Shandong"], 41: ["河南", "Henan"],
  42: ["湖北", "Hubei"], 43: ["湖南", "Hunan"], 44: ["广东", "Guangdong"], 45: ["广西", "Guangxi"],
  46: ["海南", "Hainan"], 50: ["重庆", "Chongqing"], 51: ["四川", "Sichuan"], 52: ["贵州", "Guizhou"],
  53: ["云南", "Yunnan"], 54: ["西藏", "Tibet"], 61: ["陕西", "Shaanxi"], 62: ["甘肃", "Gansu"],
  63: ["青海", "Qinghai"], 64: ["宁夏", "Ningxia"], 65: ["新疆", "Xinjiang"], 71: ["台湾", "Taiwan"],
  81: ["香港", "Hong Kong"], 82: ["澳门", "Macao"],
};

/** The grouping key of a region code: its province (`51`), or `national` for `100000`. */
export function regionKey(code) {
  const c = String(code ?? "");
  if (c === "" || c.startsWith("10") || c === "000000") return "national";
  return c.slice(0, 2);
}

/** The name of a grouping key in a language (`zh`/`en`), or null when unknown. */
export function regionName(key, lang) {
  const p = PROVINCES[key];
  return p ? p[lang === "zh" ? 0 : 1] : null;
}
