import type Database from "better-sqlite3";

// [pub_no, kind, title_zh, title_en, ipc or nice, pub_date, applicant, inventor, inventor's district]
type Row = [string, string, string, string, string, string, string, string, string];

/** Fifty holdings of a city library's patent and trademark collection, as its catalogue lists them. */
const HOLDINGS: readonly Row[] = [
  ["CN114122334A", "invention", "一种石墨烯复合锂离子电池负极材料", "Graphene composite anode material for lithium-ion battery", "H01M 4/583; H01M 10/0525", "2022-03-15", "深圳市华能新材料科技有限公司", "李明", "南山区科技园南路18号"],
  ["CN113987654B", "invention", "固态电解质薄膜及全固态锂电池", "Solid electrolyte film and all-solid-state lithium battery", "H01M 10/0562", "2021-11-02", "深圳先进技术研究院", "张伟", "南山区学苑大道1068号"],
  ["CN216543210U", "utility", "一种电动汽车电池包散热装置", "Heat dissipation device for electric vehicle battery pack", "H01M 10/613; B60L 50/64", "2022-06-21", "比亚迪股份有限公司", "陈静", "坪山区比亚迪路3009号"],
  ["CN114555666A", "invention", "钠离子电池正极材料及其制备方法", "Cathode material for sodium-ion battery and its preparation", "H01M 4/36", "2022-05-20", "深圳市贝特瑞新能源科技有限公司", "吴强", "光明区公明街道西田社区"],
  ["CN114777888A", "invention", "废旧锂电池回收方法", "Method for recycling spent lithium batteries", "H01M 10/54; C22B 7/00", "2022-07-07", "格林美股份有限公司", "许开华", "宝安区兴华路南侧"],
  ["CN115222333A", "invention", "一种锂电池极片涂布设备", "Coating equipment for lithium battery electrodes", "H01M 4/04; B05C 5/02", "2022-10-18", "深圳市赢合科技股份有限公司", "王磊", "光明区马田街道"],
  ["CN217333444U", "utility", "一种储能电池柜", "Energy storage battery cabinet", "H01M 50/20", "2022-11-29", "深圳市科陆电子科技股份有限公司", "刘芳", "南山区高新北区宝深路"],
  ["CN115888999A", "invention", "动力电池健康状态估计方法", "Method for estimating the state of health of a power battery", "G01R 31/392; H01M 10/48", "2023-03-03", "欣旺达电子股份有限公司", "黄勇", "宝安区石岩街道"],
  ["CN116000112A", "invention", "一种无人机电池快速更换装置", "Quick battery swap device for drones", "B64U 50/39", "2023-04-11", "深圳市大疆创新科技有限公司", "周杰", "南山区仙元路55号"],
  ["CN113456789A", "invention", "基于深度学习的图像去噪方法", "Image denoising method based on deep learning", "G06T 5/00; G06N 3/08", "2021-07-09", "腾讯科技（深圳）有限公司", "林峰", "南山区海天二路33号"],
  ["CN114321098A", "invention", "一种多模态语音识别方法", "Multimodal speech recognition method", "G10L 15/25", "2022-04-01", "腾讯科技（深圳）有限公司", "郑洁", "南山区科技中一路"],
  ["CN115654321A", "invention", "面向边缘计算的任务调度方法", "Task scheduling method for edge computing", "G06F 9/48", "2023-01-17", "华为技术有限公司", "孙浩", "龙岗区坂田华为基地"],
  ["CN113210987A", "invention", "一种5G基站节能控制方法", "Energy-saving control method for 5G base stations", "H04W 52/02", "2021-08-03", "中兴通讯股份有限公司", "马超", "南山区高新南四道"],
  ["CN114098765A", "invention", "毫米波天线阵列及终端设备", "Millimetre-wave antenna array and terminal device", "H01Q 21/06", "2022-02-25", "华为技术有限公司", "何静", "龙岗区坂田街道"],
  ["CN306789012S", "design", "智能手表", "Smart watch", "", "2021-08-10", "华为技术有限公司", "刘洋", "龙岗区坂田街道"],
  ["CN306111222S", "design", "电动自行车", "Electric bicycle", "", "2022-02-14", "深圳市喜德盛自行车股份有限公司", "罗斌", "龙华区观澜街道"],
  ["CN307222333S", "design", "扫地机器人", "Robot vacuum cleaner", "", "2022-08-19", "深圳市云鲸智能科技有限公司", "谢磊", "南山区西丽街道"],
  ["CN307444555S", "design", "无线耳机", "Wireless earphones", "", "2023-02-07", "深圳市韶音科技有限公司", "曾敏", "南山区粤海街道"],
  ["CN215678901U", "utility", "一种折叠屏手机铰链", "Hinge for a foldable-screen mobile phone", "H04M 1/02; F16C 11/04", "2022-01-14", "深圳市长盈精密技术股份有限公司", "冯涛", "宝安区福永街道"],
  ["CN216789012U", "utility", "一种LED显示模组", "LED display module", "G09F 9/33", "2022-07-26", "深圳市洲明科技股份有限公司", "邓丽", "宝安区福永街道"],
  ["CN114567890A", "invention", "一种新冠病毒抗原检测试剂盒", "Antigen test kit for the novel coronavirus", "G01N 33/569", "2022-05-31", "深圳迈瑞生物医疗电子股份有限公司", "蔡晨", "南山区高新技术产业园"],
  ["CN115123456A", "invention", "心电信号降噪方法及监护仪", "ECG signal denoising method and patient monitor", "A61B 5/308", "2022-09-20", "深圳迈瑞生物医疗电子股份有限公司", "潘婷", "南山区高新技术产业园"],
  ["CN113789012A", "invention", "一种基因测序文库构建方法", "Method for constructing a gene sequencing library", "C12Q 1/6806", "2021-09-28", "深圳华大基因股份有限公司", "杜鹏", "盐田区北山工业区"],
  ["CN116234567A", "invention", "一种可降解心脏支架", "Biodegradable cardiac stent", "A61F 2/82", "2023-05-23", "先健科技（深圳）有限公司", "姜楠", "南山区高新科技园"],
  ["CN217456789U", "utility", "一种医用口罩生产线", "Production line for medical face masks", "A41D 13/11", "2022-12-16", "深圳市稳健医疗用品股份有限公司", "韩雪", "龙华区民治街道"],
  ["CN114890123A", "invention", "一种光伏组件清洁机器人", "Cleaning robot for photovoltaic modules", "H02S 40/10; B08B 1/00", "2022-06-10", "深圳市捷佳伟创新能源装备股份有限公司", "唐军", "坪山区龙田街道"],
  ["CN115345678A", "invention", "氢燃料电池双极板及其制备方法", "Bipolar plate for hydrogen fuel cells and its preparation", "H01M 8/0228", "2022-11-08", "深圳市氢蓝时代动力科技有限公司", "宋佳", "龙华区大浪街道"],
  ["CN116456789A", "invention", "一种风电叶片缺陷检测方法", "Defect detection method for wind turbine blades", "F03D 17/00; G06T 7/00", "2023-06-30", "明阳智慧能源集团股份公司", "许明", "福田区深南大道"],
  ["CN113678901A", "invention", "一种超级电容器电极材料", "Electrode material for supercapacitors", "H01G 11/36", "2021-10-12", "深圳市今朝时代股份有限公司", "袁飞", "宝安区西乡街道"],
  ["CN114234567A", "invention", "一种建筑垃圾再生骨料制备方法", "Preparation of recycled aggregate from construction waste", "C04B 18/16", "2022-03-29", "深圳市华威环保建材有限公司", "蒋华", "龙岗区龙城街道"],
  ["CN115567890A", "invention", "一种海水淡化膜组件", "Membrane module for seawater desalination", "C02F 1/44; B01D 63/10", "2022-12-27", "深圳市南水水务有限公司", "沈刚", "盐田区沙头角街道"],
  ["CN216012345U", "utility", "一种智能垃圾分类箱", "Smart waste sorting bin", "B65F 1/14", "2022-03-22", "深圳市玉禾田环境事业发展集团股份有限公司", "范琳", "福田区梅林街道"],
  ["CN113890123A", "invention", "一种茶叶发酵控制方法", "Method for controlling tea fermentation", "A23F 3/08", "2021-11-19", "深圳市茶里茶外食品有限公司", "林志强", "罗湖区东门街道"],
  ["CN114678901A", "invention", "低糖饮料及其制备方法", "Low-sugar beverage and its preparation", "A23L 2/60", "2022-06-28", "深圳市元气饮品有限公司", "叶晴", "南山区蛇口街道"],
  ["CN217678901U", "utility", "一种冷链运输箱", "Cold-chain transport box", "B65D 81/38", "2023-01-06", "顺丰科技有限公司", "邱斌", "南山区科技南一道"],
  ["CN115789012A", "invention", "物流包裹路径规划方法", "Route planning method for parcel delivery", "G06Q 10/08", "2023-02-21", "顺丰科技有限公司", "龚雪", "南山区科技南一道"],
  ["CN116567890A", "invention", "一种自动驾驶车辆定位方法", "Positioning method for autonomous vehicles", "G01S 19/45; G05D 1/02", "2023-07-14", "深圳元戎启行科技有限公司", "黎明", "南山区粤海街道"],
  ["CN114901234A", "invention", "一种半导体晶圆缺陷检测装置", "Defect inspection apparatus for semiconductor wafers", "H01L 21/66", "2022-08-12", "深圳中科飞测科技股份有限公司", "温涛", "龙华区观澜街道"],
  ["CN115901234A", "invention", "一种芯片封装散热结构", "Heat dissipation structure for chip packaging", "H01L 23/367", "2023-03-31", "深圳市中兴微电子技术有限公司", "彭宇", "南山区西丽街道"],
  ["CN113345678A", "invention", "一种柔性OLED显示面板", "Flexible OLED display panel", "H10K 59/12", "2021-06-22", "深圳市华星光电半导体显示技术有限公司", "赵颖", "光明区塘明大道"],
  ["CN116678901A", "invention", "一种钙钛矿太阳能电池及其制备方法", "Perovskite solar cell and its preparation", "H10K 30/40", "2023-08-08", "深圳市极电光能有限公司", "钟华", "坪山区坑梓街道"],
  ["CN216901234U", "utility", "一种电动工具电池包", "Battery pack for power tools", "H01M 50/247", "2022-09-30", "深圳市创科实业有限公司", "石磊", "宝安区沙井街道"],
  ["CN115012345A", "invention", "一种3D打印钛合金骨植入物", "3D-printed titanium alloy bone implant", "A61L 27/06; B33Y 80/00", "2022-08-30", "深圳市艾科赛龙科技股份有限公司", "钱坤", "宝安区石岩街道"],
  ["CN217890123U", "utility", "一种电子烟雾化器", "Atomiser for electronic cigarettes", "A24F 40/44", "2023-03-14", "深圳麦克韦尔科技有限公司", "贺伟", "宝安区福海街道"],
  ["CNTM35012345T", "trademark", "华能石墨", "HUANENG GRAPHITE", "1; 9", "2021-05-14", "深圳市华能新材料科技有限公司", "", ""],
  ["CNTM36054321T", "trademark", "茶里茶外", "TEA INSIDE OUT", "30; 43", "2022-04-28", "深圳市茶里茶外食品有限公司", "", ""],
  ["CNTM37099999T", "trademark", "闪电充", "FLASH CHARGE", "9", "2023-02-01", "比亚迪股份有限公司", "", ""],
  ["CNTM38012345T", "trademark", "鹏城书香", "PENGCHENG READING", "16; 41", "2023-09-15", "深圳出版集团有限公司", "", ""],
  ["CNTM36543210T", "trademark", "云鲸", "NARWAL", "7; 9", "2022-05-06", "深圳市云鲸智能科技有限公司", "", ""],
  ["CNTM37456789T", "trademark", "元气森林", "GENKI FOREST", "32", "2022-10-21", "深圳市元气饮品有限公司", "", ""],
];

/**
 * Fills an empty catalogue with the library's demo holdings: two collections, a service desk
 * and fifty holdings with the people named on them, written with plain SQL as the library's
 * own software would. Returns the number of holdings written (0 when the catalogue had any).
 *
 * @example
 * ```ts
 * seedDemoCatalogue(db); // 50
 * ```
 */
export function seedDemoCatalogue(db: Database.Database): number {
  const { n } = db.prepare("SELECT count(*) AS n FROM holdings").get() as { n: number };
  if (n > 0) return 0;
  db.transaction(() => {
    const collection = db.prepare("INSERT OR IGNORE INTO collections (code, name_zh, name_en, note_en, access, licence, regions, update_frequency) VALUES (?, ?, ?, ?, 'public', 'CC-BY-4.0', '440300', ?)");
    collection.run("patents", "专利文献馆藏", "Patent documents held", "Chinese patent documents of Shenzhen applicants, held in the reading room", "weekly");
    collection.run("trademarks", "商标公告馆藏", "Trademark gazette holdings", "Registered marks of Shenzhen companies", "monthly");
    db.prepare("INSERT OR IGNORE INTO desks (code, name_zh, name_en, channels, hours, phone, email) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      "ip-desk", "知识产权信息咨询台", "IP information desk", "onsite;phone", "Tue-Sun 09:00-21:00", "+86-755-8284-1200", "ip@library.example.cn",
    );
    const holding = db.prepare(
      "INSERT INTO holdings (call_no, collection, pub_no, kind, title_zh, title_en, abstract_zh, abstract_en, ipc, nice, pub_date, app_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const people = db.prepare("INSERT INTO people (holding, role, seq, name, country, city, province, address, postcode, is_person) VALUES (?, ?, 1, ?, 'CN', ?, ?, ?, ?, ?)");
    HOLDINGS.forEach(([pubNo, kind, zh, en, classes, pd, applicant, inventor, district], i) => {
      const callNo = `${kind === "trademark" ? "TM" : "PT"}-${pd.slice(0, 4)}-${String(i + 1).padStart(4, "0")}`;
      const trademark = kind === "trademark";
      const year = Number(pd.slice(0, 4));
      holding.run(
        callNo, trademark ? "trademarks" : "patents", pubNo, kind, zh, en,
        trademark ? "注册商标。" : `本${kind === "design" ? "外观设计" : kind === "utility" ? "实用新型" : "发明"}涉及${zh}。`,
        trademark ? "Registered mark." : `This ${kind === "design" ? "design" : kind === "utility" ? "utility model" : "invention"} concerns: ${en.toLowerCase()}.`,
        trademark ? "" : classes, trademark ? classes : "", pd, `${year - 1}${pd.slice(4)}`,
      );
      people.run(callNo, "applicant", applicant, "深圳", "广东", "", "", 0);
      if (inventor) people.run(callNo, "inventor", inventor, "深圳", "广东", district, `518${String(i).padStart(3, "0")}`, 1);
    });
  })();
  return HOLDINGS.length;
}
