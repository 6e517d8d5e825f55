// Chinese cities with their GB/T 2260 administrative-division codes, provinces, postcodes,
// telephone area codes and a few districts; weighted by how many patents their applicants file.

import type { Rng } from "./prng.js";
import { WeightedTable } from "./prng.js";
import { pad } from "./text.js";

/** A Chinese city as used in addresses and region codes. */
export interface City {
  /** Name with its suffix: `深圳市`. */
  readonly name: string;
  /** Name without the suffix: `深圳`. */
  readonly short: string;
  /** Pinyin name: `Shenzhen`. */
  readonly en: string;
  /** Province (or municipality, autonomous region): `广东省`. */
  readonly province: string;
  /** English province name: `Guangdong`. */
  readonly provinceEn: string;
  /** GB/T 2260 code of the city: `440300`. */
  readonly code: string;
  /** First digits of its postcodes: `518`. */
  readonly postcode: string;
  /** Telephone area code: `0755`. */
  readonly area: string;
  /** A few districts: `南山区`. */
  readonly districts: readonly string[];
}

// name, en, province, provinceEn, code, postcode prefix, area code, districts, weight
type CityRow = readonly [string, string, string, string, string, string, string, string, number];

const ROWS: readonly CityRow[] = [
  ["深圳市", "Shenzhen", "广东省", "Guangdong", "440300", "518", "0755", "南山区 福田区 宝安区 龙岗区", 10],
  ["北京市", "Beijing", "北京市", "Beijing", "110100", "100", "010", "海淀区 朝阳区 昌平区 大兴区", 10],
  ["上海市", "Shanghai", "上海市", "Shanghai", "310100", "200", "021", "浦东新区 闵行区 嘉定区 松江区", 8],
  ["杭州市", "Hangzhou", "浙江省", "Zhejiang", "330100", "310", "0571", "西湖区 滨江区 余杭区 萧山区", 7],
  ["苏州市", "Suzhou", "江苏省", "Jiangsu", "320500", "215", "0512", "吴中区 相城区 虎丘区 吴江区", 6],
  ["广州市", "Guangzhou", "广东省", "Guangdong", "440100", "510", "020", "天河区 黄埔区 番禺区 白云区", 6],
  ["南京市", "Nanjing", "江苏省", "Jiangsu", "320100", "210", "025", "江宁区 玄武区 鼓楼区 栖霞区", 5],
  ["成都市", "Chengdu", "四川省", "Sichuan", "510100", "610", "028", "武侯区 双流区 郫都区 成华区", 5],
  ["武汉市", "Wuhan", "湖北省", "Hubei", "420100", "430", "027", "洪山区 江夏区 武昌区 东西湖区", 5],
  ["西安市", "Xi'an", "陕西省", "Shaanxi", "610100", "710", "029", "雁塔区 长安区 未央区 碑林区", 4],
  ["合肥市", "Hefei", "安徽省", "Anhui", "340100", "230", "0551", "蜀山区 包河区 庐阳区", 4],
  ["东莞市", "Dongguan", "广东省", "Guangdong", "441900", "523", "0769", "松山湖园区 长安镇 南城街道", 4],
  ["青岛市", "Qingdao", "山东省", "Shandong", "370200", "266", "0532", "崂山区 黄岛区 市南区", 3],
  ["宁波市", "Ningbo", "浙江省", "Zhejiang", "330200", "315", "0574", "鄞州区 北仑区 镇海区", 3],
  ["天津市", "Tianjin", "天津市", "Tianjin", "120100", "300", "022", "滨海新区 南开区 西青区", 3],
  ["重庆市", "Chongqing", "重庆市", "Chongqing", "500100", "400", "023", "渝北区 九龙坡区 沙坪坝区", 3],
  ["长沙市", "Changsha", "湖南省", "Hunan", "430100", "410", "0731", "岳麓区 雨花区 开福区", 3],
  ["济南市", "Jinan", "山东省", "Shandong", "370100", "250", "0531", "历下区 槐荫区 历城区", 3],
  ["郑州市", "Zhengzhou", "河南省", "Henan", "410100", "450", "0371", "金水区 二七区 中原区", 3],
  ["佛山市", "Foshan", "广东省", "Guangdong", "440600", "528", "0757", "顺德区 南海区 禅城区", 3],
  ["无锡市", "Wuxi", "江苏省", "Jiangsu", "320200", "214", "0510", "滨湖区 新吴区 梁溪区", 3],
  ["厦门市", "Xiamen", "福建省", "Fujian", "350200", "361", "0592", "思明区 湖里区 集美区", 2],
  ["福州市", "Fuzhou", "福建省", "Fujian", "350100", "350", "0591", "鼓楼区 仓山区 闽侯县", 2],
  ["常州市", "Changzhou", "江苏省", "Jiangsu", "320400", "213", "0519", "武进区 新北区 天宁区", 2],
  ["珠海市", "Zhuhai", "广东省", "Guangdong", "440400", "519", "0756", "香洲区 金湾区 斗门区", 2],
  ["温州市", "Wenzhou", "浙江省", "Zhejiang", "330300", "325", "0577", "鹿城区 瓯海区 龙湾区", 2],
  ["沈阳市", "Shenyang", "辽宁省", "Liaoning", "210100", "110", "024", "浑南区 和平区 铁西区", 2],
  ["大连市", "Dalian", "辽宁省", "Liaoning", "210200", "116", "0411", "甘井子区 沙河口区 高新园区", 2],
  ["哈尔滨市", "Harbin", "黑龙江省", "Heilongjiang", "230100", "150", "0451", "南岗区 香坊区 松北区", 2],
  ["长春市", "Changchun", "吉林省", "Jilin", "220100", "130", "0431", "朝阳区 南关区 绿园区", 2],
  ["昆明市", "Kunming", "云南省", "Yunnan", "530100", "650", "0871", "五华区 呈贡区 盘龙区", 2],
  ["南昌市", "Nanchang", "江西省", "Jiangxi", "360100", "330", "0791", "红谷滩区 青山湖区 西湖区", 2],
  ["贵阳市", "Guiyang", "贵州省", "Guizhou", "520100", "550", "0851", "观山湖区 南明区 云岩区", 1],
  ["南宁市", "Nanning", "广西壮族自治区", "Guangxi", "450100", "530", "0771", "青秀区 西乡塘区 良庆区", 1],
  ["石家庄市", "Shijiazhuang", "河北省", "Hebei", "130100", "050", "0311", "裕华区 长安区 桥西区", 1],
  ["太原市", "Taiyuan", "山西省", "Shanxi", "140100", "030", "0351", "小店区 迎泽区 万柏林区", 1],
  ["兰州市", "Lanzhou", "甘肃省", "Gansu", "620100", "730", "0931", "城关区 安宁区 七里河区", 1],
  ["绵阳市", "Mianyang", "四川省", "Sichuan", "510700", "621", "0816", "涪城区 游仙区", 1],
  ["赣州市", "Ganzhou", "江西省", "Jiangxi", "360700", "341", "0797", "章贡区 赣县区 南康区", 1],
  ["呼和浩特市", "Hohhot", "内蒙古自治区", "Inner Mongolia", "150100", "010", "0471", "赛罕区 新城区 回民区", 1],
  ["乌鲁木齐市", "Urumqi", "新疆维吾尔自治区", "Xinjiang", "650100", "830", "0991", "天山区 新市区 沙依巴克区", 1],
  ["海口市", "Haikou", "海南省", "Hainan", "460100", "570", "0898", "龙华区 美兰区 秀英区", 1],
  ["银川市", "Yinchuan", "宁夏回族自治区", "Ningxia", "640100", "750", "0951", "兴庆区 金凤区 西夏区", 1],
  ["西宁市", "Xining", "青海省", "Qinghai", "630100", "810", "0971", "城西区 城东区 城北区", 0.5],
  ["拉萨市", "Lhasa", "西藏自治区", "Tibet", "540100", "850", "0891", "城关区 堆龙德庆区", 0.3],
];

/** Every city, in a fixed order. */
export const CITIES: readonly City[] = ROWS.map(([name, en, province, provinceEn, code, postcode, area, districts]) => ({
  name,
  short: name.endsWith("市") ? name.slice(0, -1) : name,
  en,
  province,
  provinceEn,
  code,
  postcode,
  area,
  districts: districts.split(" "),
}));

/** Cities weighted by the number of applicants they host. */
export const CITY_TABLE: WeightedTable<City> = new WeightedTable(
  CITIES,
  ROWS.map((r) => r[8]),
);

/** GB/T 2260 code of the province of a city: `440300` → `440000`. */
export function provinceCode(city: City): string {
  return `${city.code.slice(0, 2)}0000`;
}

/** Short province name as used at the start of company names: `广东`, `内蒙古`, `北京`. */
export function provinceShort(city: City): string {
  return city.province.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, "");
}

const ROADS: readonly string[] = [
  "科技路", "高新大道", "创业路", "学府路", "人民路", "建设路", "解放路", "中山路", "长江路", "黄河路", "滨江大道", "工业大道", "文化路",
  "新华路", "和平路", "光明路", "东风路", "迎宾大道", "软件园路", "创新大道",
];

/**
 * A street address inside a city: district, road and number, with building and room for
 * people (`南山区科技路88号3栋502室`).
 */
export function streetAddress(rng: Rng, city: City, person: boolean): string {
  const district = rng.pick(city.districts);
  const road = rng.pick(ROADS);
  const number = rng.range(1, 999);
  if (!person) return `${district}${road}${number}号`;
  return `${district}${road}${number}号${rng.range(1, 30)}栋${rng.range(1, 32)}${pad(rng.range(1, 6), 2)}室`;
}

/** A postcode of the city: its prefix and three more digits. */
export function postcodeIn(rng: Rng, city: City): string {
  return `${city.postcode}${pad(rng.int(100), 3)}`;
}

const MOBILE_PREFIXES: readonly string[] = [
  "138", "139", "137", "136", "135", "150", "151", "152", "158", "159", "186", "187", "188", "189", "177", "199",
];

/** A mobile number (`13812345678`), the contact people give on filings. */
export function mobilePhone(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}${pad(rng.int(100_000_000), 8)}`;
}

/** A landline in the city (`0755-26712345`). */
export function landline(rng: Rng, city: City): string {
  return `${city.area}-${rng.range(2, 8)}${pad(rng.int(10_000_000), 7)}`;
}
