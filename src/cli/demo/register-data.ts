import { organizationCodeCheckDigit, USCC_CHARSET, usccCheckCharacter } from '../../lib/uscc.ts';
import { newId } from '../../platform/ids.ts';
import type { DecisionPublishedPayload } from '../../modules/filings/index.ts';
import type { DecisionToPublish } from '../../modules/register/index.ts';

/**
 * Realistic, bilingual demo decisions for a fresh install and for benchmarks: Shenzhen
 * providers with valid unified social credit codes (GB 32100-2015), products named after
 * catalogue 2024.1 sub-sectors, tiers and outcomes that fit them. Deterministic for a seed
 * (names, codes, dates); ids are fresh UUIDv7s.
 */

interface ProductTemplate {
  code: string;
  tier: 'high' | 'medium' | 'low';
  zh: string;
  en: string;
  does: string;
}

const TEMPLATES: readonly ProductTemplate[] = [
  {
    code: 'A0201',
    tier: 'high',
    zh: '医疗影像辅助诊断系统',
    en: 'Medical Imaging Diagnostic Assistant',
    does: '基于深度学习对CT、MRI医疗影像进行病灶检测与辅助诊断，结果由执业医师复核',
  },
  {
    code: 'A0201',
    tier: 'high',
    zh: '肺结节CT影像智能筛查软件',
    en: 'Lung Nodule CT Screening Software',
    does: '自动检出胸部CT影像中的肺结节并给出良恶性风险提示，辅助放射科医生阅片',
  },
  {
    code: 'A0202',
    tier: 'high',
    zh: '临床辅助决策支持系统',
    en: 'Clinical Decision Support System',
    does: '结合电子病历与临床指南为医生提供诊疗建议和用药提醒',
  },
  {
    code: 'A0204',
    tier: 'medium',
    zh: '智能问诊助手',
    en: 'Online Consultation Assistant',
    does: '通过多轮对话采集症状并给出分诊建议，明确提示用户正在与人工智能交互',
  },
  {
    code: 'A0205',
    tier: 'high',
    zh: '手术机器人导航系统',
    en: 'Surgical Robot Navigation System',
    does: '为骨科手术机器人提供术中三维定位与路径规划',
  },
  {
    code: 'T0701',
    tier: 'medium',
    zh: '人脸识别门禁系统',
    en: 'Face Recognition Access Control',
    does: '采用一比一人脸识别核验通行人员身份，人脸特征数据本地加密存储',
  },
  {
    code: 'T0701',
    tier: 'medium',
    zh: '人脸识别考勤终端',
    en: 'Face Recognition Attendance Terminal',
    does: '员工刷脸完成考勤打卡，支持活体检测防止照片攻击',
  },
  {
    code: 'A0803',
    tier: 'medium',
    zh: '智能客服机器人',
    en: 'Customer Service Chatbot',
    does: '基于大模型自动回答用户咨询，复杂问题转接人工坐席',
  },
  {
    code: 'A0803',
    tier: 'medium',
    zh: '智能客服平台',
    en: 'Intelligent Customer Service Platform',
    does: '提供在线文本与语音智能客服、工单流转与服务质检',
  },
  {
    code: 'A0101',
    tier: 'low',
    zh: '工业视觉质检系统',
    en: 'Industrial Visual Inspection System',
    does: '在产线上实时检测电子元器件表面缺陷，替代人工目检',
  },
  {
    code: 'A0102',
    tier: 'low',
    zh: '设备预测性维护平台',
    en: 'Predictive Maintenance Platform',
    does: '分析振动与温度传感器数据，提前预警设备故障',
  },
  {
    code: 'A0301',
    tier: 'high',
    zh: 'L4级自动驾驶系统',
    en: 'Level 4 Automated Driving System',
    does: '在限定区域内实现无人驾驶出租车的感知、决策与控制',
  },
  {
    code: 'A0302',
    tier: 'medium',
    zh: '智能座舱语音助手',
    en: 'Smart Cockpit Voice Assistant',
    does: '车内语音交互控制导航、空调与娱乐系统',
  },
  {
    code: 'A0304',
    tier: 'low',
    zh: '低空无人机巡检系统',
    en: 'Low-altitude Drone Inspection System',
    does: '无人机自动巡检输电线路并识别绝缘子缺陷',
  },
  {
    code: 'A0401',
    tier: 'low',
    zh: '智能风控反欺诈引擎',
    en: 'Fraud Detection Engine',
    does: '实时识别支付交易中的欺诈行为，不用于信用评估',
  },
  {
    code: 'A0402',
    tier: 'high',
    zh: '个人信用评估模型',
    en: 'Personal Credit Scoring Model',
    does: '根据多维数据评估个人信用状况，用于小额贷款授信决策',
  },
  {
    code: 'A0404',
    tier: 'high',
    zh: '健康险智能核保系统',
    en: 'Health Insurance Underwriting System',
    does: '对健康险投保人进行风险评估与定价',
  },
  {
    code: 'A0501',
    tier: 'medium',
    zh: '个性化学习辅导平台',
    en: 'Personalised Tutoring Platform',
    does: '根据学生作答情况推荐练习题并生成讲解内容',
  },
  {
    code: 'A0502',
    tier: 'high',
    zh: '智能阅卷系统',
    en: 'Automated Exam Marking System',
    does: '对主观题答卷进行自动评分，评分结果影响学业评价',
  },
  {
    code: 'A0503',
    tier: 'high',
    zh: '在线考试智能监考系统',
    en: 'Online Exam Proctoring System',
    does: '通过摄像头监测考生异常行为并提示监考老师',
  },
  {
    code: 'A0601',
    tier: 'medium',
    zh: '政务服务智能审批助手',
    en: 'Government Service Approval Assistant',
    does: '辅助窗口人员预审材料完整性，最终决定由人工作出',
  },
  {
    code: 'A0603',
    tier: 'high',
    zh: '类案检索与裁判辅助系统',
    en: 'Judicial Case Retrieval Assistant',
    does: '为法官检索类似案例并辅助法律适用分析',
  },
  {
    code: 'A0701',
    tier: 'medium',
    zh: '视频监控智能分析平台',
    en: 'Video Surveillance Analytics Platform',
    does: '识别园区视频中的烟火、入侵与人群聚集等事件',
  },
  {
    code: 'A0801',
    tier: 'medium',
    zh: '个性化商品推荐引擎',
    en: 'Product Recommendation Engine',
    does: '根据浏览与购买记录推荐商品，并提供关闭个性化推荐的选项',
  },
  {
    code: 'A1001',
    tier: 'low',
    zh: '风电功率预测系统',
    en: 'Wind Power Forecasting System',
    does: '结合气象数据预测风电场未来72小时出力',
  },
  {
    code: 'A1101',
    tier: 'medium',
    zh: 'AIGC营销文案生成平台',
    en: 'Generative Marketing Copy Platform',
    does: '生成广告文案与配图，生成内容添加显式与隐式标识',
  },
  {
    code: 'A1102',
    tier: 'medium',
    zh: '内容审核大模型',
    en: 'Content Moderation Model',
    does: '识别文本、图片与视频中的违法和不良信息',
  },
  {
    code: 'A1202',
    tier: 'medium',
    zh: '智能音箱语音助手',
    en: 'Smart Speaker Voice Assistant',
    does: '家庭场景下的语音问答、音乐播放与家电控制',
  },
  {
    code: 'A1301',
    tier: 'low',
    zh: '智能仓储分拣机器人',
    en: 'Warehouse Sorting Robot',
    does: '视觉引导的包裹自动分拣与搬运',
  },
  {
    code: 'A1401',
    tier: 'high',
    zh: '智能简历筛选系统',
    en: 'Resume Screening System',
    does: '对求职者简历进行匹配打分，辅助招聘人员筛选',
  },
  {
    code: 'A1402',
    tier: 'high',
    zh: '员工绩效智能分析系统',
    en: 'Workforce Performance Analytics',
    does: '分析员工工作数据并生成绩效评估建议',
  },
  {
    code: 'T0301',
    tier: 'low',
    zh: '语音识别引擎',
    en: 'Speech Recognition Engine',
    does: '支持普通话与粤语的实时语音转写',
  },
  {
    code: 'T0302',
    tier: 'medium',
    zh: '语音合成平台',
    en: 'Text-to-Speech Platform',
    does: '生成自然流畅的合成语音，合成音频带有隐式水印',
  },
  {
    code: 'T0401',
    tier: 'medium',
    zh: '中英机器翻译系统',
    en: 'Chinese-English Machine Translation',
    does: '面向外贸文档的中英互译',
  },
  {
    code: 'T0204',
    tier: 'low',
    zh: '票据OCR识别系统',
    en: 'Invoice OCR System',
    does: '识别增值税发票与报销单据并结构化输出',
  },
  {
    code: 'T0601',
    tier: 'medium',
    zh: '通用大语言模型',
    en: 'General-purpose Large Language Model',
    does: '提供问答、写作与代码生成能力，面向公众提供服务',
  },
  {
    code: 'T0603',
    tier: 'medium',
    zh: '金融行业大模型',
    en: 'Financial Industry Large Model',
    does: '面向银行与证券机构的研报生成与智能投研',
  },
  {
    code: 'T0605',
    tier: 'medium',
    zh: '企业办公智能体',
    en: 'Enterprise Office Agent',
    does: '自动处理会议纪要、邮件与审批流程',
  },
  {
    code: 'T0901',
    tier: 'medium',
    zh: '数字人直播平台',
    en: 'Digital Human Livestream Platform',
    does: '以虚拟主播进行电商直播，画面持续显示人工智能生成标识',
  },
  {
    code: 'A0901',
    tier: 'low',
    zh: '农作物病虫害识别系统',
    en: 'Crop Pest Detection System',
    does: '通过手机拍照识别农作物病虫害并给出防治建议',
  },
];

const BRANDS: readonly (readonly [string, string])[] = [
  ['鹏城', 'Pengcheng'],
  ['前海', 'Qianhai'],
  ['南山', 'Nanshan'],
  ['云帆', 'Yunfan'],
  ['星图', 'Xingtu'],
  ['灵犀', 'Lingxi'],
  ['智擎', 'Zhiqing'],
  ['海纳', 'Haina'],
  ['深瞳', 'Shentong'],
  ['天枢', 'Tianshu'],
  ['慧眼', 'Huiyan'],
  ['极光', 'Jiguang'],
  ['蓝鲸', 'Lanjing'],
  ['麒麟', 'Qilin'],
  ['凌云', 'Lingyun'],
  ['知行', 'Zhixing'],
  ['数智', 'Shuzhi'],
  ['华岳', 'Huayue'],
  ['光启', 'Guangqi'],
  ['湾区', 'Wanqu'],
  ['银河', 'Yinhe'],
  ['明镜', 'Mingjing'],
  ['睿思', 'Ruisi'],
  ['易知', 'Yizhi'],
  ['安途', 'Antu'],
  ['启明', 'Qiming'],
  ['北斗', 'Beidou'],
  ['风语', 'Fengyu'],
  ['青禾', 'Qinghe'],
  ['微光', 'Weiguang'],
];

const COMPANY_KINDS: readonly (readonly [string, string])[] = [
  ['科技', 'Technology'],
  ['智能科技', 'Intelligent Technology'],
  ['信息技术', 'Information Technology'],
  ['医疗科技', 'Medical Technology'],
  ['网络科技', 'Network Technology'],
  ['人工智能', 'Artificial Intelligence'],
];

/** mulberry32: a tiny seeded PRNG, so a seed always yields the same register. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHENZHEN_DIVISION = '440300';

/** A valid USCC of a Shenzhen enterprise (department 9, type 1): both check characters computed. */
export function demoUscc(random: () => number): string {
  let body = '';
  for (let i = 0; i < 8; i += 1) body += USCC_CHARSET.charAt(Math.floor(random() * USCC_CHARSET.length));
  const first17 = `91${SHENZHEN_DIVISION}${body}${organizationCodeCheckDigit(body)}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

interface DemoProvider {
  organizationId: string;
  name: string;
  nameEn: string;
  uscc: string;
  brand: readonly [string, string];
}

export interface DemoOptions {
  seed?: number;
  /** Decisions are spread over the two years before this instant. */
  now?: Date;
  catalogueVersion?: string;
  rulesetVersion?: string;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** `count` decisions of distinct products, as `register.decision_published` payloads. */
export function generateDemoDecisions(count: number, options: DemoOptions = {}): DecisionToPublish[] {
  const random = prng(options.seed ?? 20_240_901);
  const now = (options.now ?? new Date()).getTime();
  const providers: DemoProvider[] = [];
  const usccs = new Set<string>();
  const providerCount = Math.max(1, Math.ceil(count / 5));
  for (let i = 0; i < providerCount; i += 1) {
    const first = pick(random, BRANDS);
    const second = random() < 0.5 ? pick(random, BRANDS) : undefined;
    const kind = pick(random, COMPANY_KINDS);
    let uscc = demoUscc(random);
    while (usccs.has(uscc)) uscc = demoUscc(random);
    usccs.add(uscc);
    const zh = second === undefined || second === first ? first[0] : `${first[0]}${second[0]}`;
    const en = second === undefined || second === first ? first[1] : `${first[1]} ${second[1]}`;
    providers.push({
      organizationId: newId(),
      name: `深圳市${zh}${kind[0]}有限公司`,
      nameEn: `Shenzhen ${en} ${kind[1]} Co., Ltd.`,
      uscc,
      brand: [zh, en],
    });
  }
  const decisions: DecisionToPublish[] = [];
  for (let i = 0; i < count; i += 1) {
    const provider = providers[i % providerCount]!;
    const template = pick(random, TEMPLATES);
    const style = random();
    const release = random() < 0.4 ? ` V${1 + Math.floor(random() * 5)}.${Math.floor(random() * 10)}` : '';
    const smart = !template.zh.startsWith('智能') && style < 0.3 ? '智能' : '';
    const city = style > 0.8 ? '深圳市' : '';
    const isHigh = template.tier === 'high';
    const payload: DecisionPublishedPayload = {
      filingId: newId(),
      productId: newId(),
      organizationId: provider.organizationId,
      kind: isHigh ? 'assessment' : 'disclosure',
      outcome: isHigh ? (random() < 0.8 ? 'approved' : 'approved_with_conditions') : 'accepted',
      decidedAt: new Date(Math.floor((now - random() * 730 * 86_400_000) / 1000) * 1000).toISOString(),
      product: {
        name: `${city}${provider.brand[0]}${smart}${template.zh}${release}`,
        nameEn: `${provider.brand[1]} ${smart === '' ? '' : 'Smart '}${template.en}${release}`,
        description: `${template.does}。由${provider.name}研发并运营。`,
        catalogueCode: template.code,
        catalogueVersion: options.catalogueVersion ?? '2024.1',
        tier: template.tier,
        rulesetVersion: options.rulesetVersion ?? 'v1',
      },
      provider: { name: provider.name, nameEn: provider.nameEn, uscc: provider.uscc },
    };
    payload.product.status = payload.outcome;
    decisions.push({ eventId: newId(), payload });
  }
  return decisions;
}
