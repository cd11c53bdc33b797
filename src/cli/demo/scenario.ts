/**
 * The organisations, products and filing histories `aigov demo` plays through the real
 * services. Provider names fit their products; each product's risk answers grade it at the
 * tier its filing needs; each history ends in the status it names, `daysAgo` days before the
 * demo's "now" (decided ones spread over the last year, open ones recent).
 */
import type { FilingStatus } from '../../domain/filings.ts';
import type { RiskTier } from '../../domain/risk.ts';
import { organizationCodeCheckDigit, usccCheckCharacter } from '../../lib/uscc.ts';

/** A valid USCC of a Shenzhen enterprise (GB 32100-2015) around an 8-character organisation code body. */
function shenzhenUscc(body: string): string {
  const first17 = `91440300${body}${organizationCodeCheckDigit(body)}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

/** Answers under which nothing applies: a low-risk product. */
const NOTHING_APPLIES = {
  domain: 'other',
  annexIIIUses: [] as string[],
  prohibitedPractices: [] as string[],
  safetyComponent: false,
  medicalDeviceClass: 'none',
  profilesNaturalPersons: false,
  narrowProceduralTask: false,
  interactsWithPeople: false,
  generatesSyntheticContent: false,
  publicOpinionAttributes: false,
  processesSensitivePersonalInfo: false,
  usersScale: '1k_100k',
};

const lowRisk = (domain: string) => ({ ...NOTHING_APPLIES, domain });
const chatbot = (domain: string) => ({
  ...NOTHING_APPLIES,
  domain,
  interactsWithPeople: true,
  generatesSyntheticContent: true,
});
// High risk by its Annex III use alone: profiling or sensitive personal information would
// also refer the assessment to the ethics committee, whose opinion an approval must wait for
// (API-CONTRACT-2 §3) — the demo does not seed committee deliberations yet.
const highRisk = (domain: string, use: string) => ({
  ...NOTHING_APPLIES,
  domain,
  annexIIIUses: [use],
});

export interface DemoProduct {
  name: string;
  nameEn: string;
  description: string;
  catalogueCode: string;
  intendedUse: string;
  tier: Exclude<RiskTier, 'prohibited'>;
  riskAnswers: Record<string, unknown>;
  /** Where its filing ends and how many days before "now" that last step happens. */
  end: FilingStatus;
  daysAgo: number;
  /** An assessment whose history includes an information request answered before the decision. */
  askedForInformation?: boolean;
}

export interface DemoOrganization {
  name: string;
  nameEn: string;
  uscc: string;
  /** The org_admin's login (e-mail local part @ DEMO_MAIL_DOMAIN). */
  login: string;
  adminName: string;
  /** Days before "now" when the organisation registered (before its first product). */
  registeredDaysAgo: number;
  products: DemoProduct[];
}

export const DEMO_MAIL_DOMAIN = 'demo.aigov.local';

export const DEMO_STAFF = [
  { login: 'admin', name: '演示管理员 Demo administrator', roles: ['regulator_admin'] as const },
  { login: 'reviewer', name: '李审查 Li Shencha', roles: ['reviewer'] as const },
  { login: 'reviewer2', name: '王评审 Wang Pingshen', roles: ['reviewer'] as const },
];

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    name: '深圳市明眸医疗科技有限公司',
    nameEn: 'Shenzhen Mingmou Medical Technology Co., Ltd.',
    uscc: shenzhenUscc('MA5DMM01'),
    login: 'mingmou',
    adminName: '陈明眸 Chen Mingmou',
    registeredDaysAgo: 370,
    products: [
      {
        name: '明眸肺结节CT影像智能筛查软件',
        nameEn: 'Mingmou Lung Nodule CT Screening Software',
        description: '自动检出胸部CT影像中的肺结节并给出良恶性风险提示，辅助放射科医生阅片，结果由执业医师复核。',
        catalogueCode: 'A0201',
        intendedUse: '三级医院放射科胸部CT阅片辅助，诊断由执业医师作出。',
        tier: 'high',
        riskAnswers: highRisk('healthcare', 'emergency_triage'),
        end: 'approved',
        daysAgo: 330,
        askedForInformation: true,
      },
      {
        name: '明眸智能问诊助手',
        nameEn: 'Mingmou Online Consultation Assistant',
        description: '通过多轮对话采集症状并给出分诊建议，明确提示用户正在与人工智能交互。',
        catalogueCode: 'A0204',
        intendedUse: '互联网医院就诊前的症状采集与分诊引导，不作诊断。',
        tier: 'medium',
        riskAnswers: chatbot('healthcare'),
        end: 'accepted',
        daysAgo: 240,
      },
      {
        name: '明眸急诊分诊辅助系统',
        nameEn: 'Mingmou Emergency Triage Assistant',
        description: '根据生命体征与主诉为急诊预检分诊护士提供分级建议。',
        catalogueCode: 'A0202',
        intendedUse: '急诊科预检分诊，建议由分诊护士确认。',
        tier: 'high',
        riskAnswers: highRisk('healthcare', 'emergency_triage'),
        end: 'information_requested',
        daysAgo: 4,
      },
    ],
  },
  {
    name: '深圳市知行人工智能有限公司',
    nameEn: 'Shenzhen Zhixing Artificial Intelligence Co., Ltd.',
    uscc: shenzhenUscc('MA5DJX02'),
    login: 'zhixing',
    adminName: '林知行 Lin Zhixing',
    registeredDaysAgo: 360,
    products: [
      {
        name: '知行简历智能筛选系统',
        nameEn: 'Zhixing Resume Screening System',
        description: '按岗位要求对求职者简历进行解析、打分和排序，供招聘人员参考。',
        catalogueCode: 'T0402',
        intendedUse: '企业招聘初筛，最终录用由招聘人员决定。',
        tier: 'high',
        riskAnswers: highRisk('employment', 'employment_recruitment'),
        end: 'rejected',
        daysAgo: 290,
        askedForInformation: true,
      },
      {
        name: '知行智能面试评估平台',
        nameEn: 'Zhixing Interview Assessment Platform',
        description: '对结构化视频面试的回答内容进行要点提取和评估，不使用面部表情或情绪识别。',
        catalogueCode: 'T0402',
        intendedUse: '校园招聘结构化面试的辅助评估，结论由面试官复核。',
        tier: 'high',
        riskAnswers: highRisk('employment', 'employment_recruitment'),
        end: 'approved_with_conditions',
        daysAgo: 150,
      },
      {
        name: '知行智能招聘客服助手',
        nameEn: 'Zhixing Recruitment Chat Assistant',
        description: '回答求职者关于岗位、流程和进度的问题，明确标识为人工智能并可转人工。',
        catalogueCode: 'T0403',
        intendedUse: '招聘网站的求职者咨询，由人工客服兜底。',
        tier: 'medium',
        riskAnswers: chatbot('employment'),
        end: 'accepted',
        daysAgo: 200,
      },
      {
        name: '知行员工绩效分析系统',
        nameEn: 'Zhixing Employee Performance Analytics',
        description: '汇总工作数据生成绩效分析报告，供管理者在绩效面谈中参考。',
        catalogueCode: 'T0502',
        intendedUse: '企业人力资源部门的绩效管理辅助。',
        tier: 'high',
        riskAnswers: highRisk('employment', 'employment_work_decisions'),
        end: 'submitted',
        daysAgo: 2,
      },
    ],
  },
  {
    name: '深圳市云帆网络科技有限公司',
    nameEn: 'Shenzhen Yunfan Network Technology Co., Ltd.',
    uscc: shenzhenUscc('MA5DYF03'),
    login: 'yunfan',
    adminName: '赵云帆 Zhao Yunfan',
    registeredDaysAgo: 350,
    products: [
      {
        name: '云帆AIGC营销文案生成平台',
        nameEn: 'Yunfan AIGC Marketing Copy Platform',
        description: '根据商品信息生成营销文案和配图，生成内容带有显式和隐式标识。',
        catalogueCode: 'T0604',
        intendedUse: '电商商家的商品详情页和推广文案创作。',
        tier: 'medium',
        riskAnswers: chatbot('media_content'),
        end: 'accepted',
        daysAgo: 310,
      },
      {
        name: '云帆智能仓储调度系统',
        nameEn: 'Yunfan Smart Warehouse Scheduling System',
        description: '预测订单波峰并优化仓内拣货路径和人员排班。',
        catalogueCode: 'A0103',
        intendedUse: '自营仓库的拣货与排班优化。',
        tier: 'low',
        riskAnswers: lowRisk('industrial'),
        end: 'accepted',
        daysAgo: 180,
      },
      {
        name: '云帆数字人直播系统',
        nameEn: 'Yunfan Digital Human Livestreaming System',
        description: '以虚拟主播形象进行商品讲解直播，画面持续标识“AI生成”。',
        catalogueCode: 'T0901',
        intendedUse: '电商直播间的夜间自动讲解。',
        tier: 'medium',
        riskAnswers: chatbot('media_content'),
        end: 'draft',
        daysAgo: 1,
      },
      {
        name: '云帆智能客服助手',
        nameEn: 'Yunfan Customer Service Assistant',
        description: '面向电商客户的在线问答机器人，回答订单和退换货问题。',
        catalogueCode: 'T0403',
        intendedUse: '电商平台售前售后咨询，由人工客服兜底。',
        tier: 'medium',
        riskAnswers: chatbot('consumer'),
        end: 'accepted',
        daysAgo: 60,
      },
    ],
  },
  {
    name: '深圳市鹏城信用科技有限公司',
    nameEn: 'Shenzhen Pengcheng Credit Technology Co., Ltd.',
    uscc: shenzhenUscc('MA5DPC04'),
    login: 'pengcheng',
    adminName: '黄鹏城 Huang Pengcheng',
    registeredDaysAgo: 340,
    products: [
      {
        name: '鹏城小微企业信用评估模型',
        nameEn: 'Pengcheng Small Business Credit Scoring Model',
        description: '结合经营流水与公开信息评估小微企业信用，为授信审批提供参考评分。',
        catalogueCode: 'A0402',
        intendedUse: '合作银行的小微企业贷款审批辅助，最终决定由信贷审批人员作出。',
        tier: 'high',
        riskAnswers: highRisk('credit_scoring', 'creditworthiness'),
        end: 'approved',
        daysAgo: 100,
      },
      {
        name: '鹏城个人消费信贷评分系统',
        nameEn: 'Pengcheng Consumer Credit Scoring System',
        description: '为消费分期业务提供个人信用评分和额度建议。',
        catalogueCode: 'A0402',
        intendedUse: '消费金融公司的分期申请审批辅助。',
        tier: 'high',
        riskAnswers: highRisk('credit_scoring', 'creditworthiness'),
        end: 'under_review',
        daysAgo: 6,
      },
      {
        name: '鹏城智能反欺诈引擎',
        nameEn: 'Pengcheng Fraud Detection Engine',
        description: '实时识别异常交易并提示人工复核，不自动拒绝交易。',
        catalogueCode: 'A0401',
        intendedUse: '支付机构的交易风险监测。',
        tier: 'low',
        riskAnswers: lowRisk('finance'),
        end: 'accepted',
        daysAgo: 25,
      },
      {
        name: '鹏城智能投顾助手',
        nameEn: 'Pengcheng Robo-Advice Assistant',
        description: '根据风险测评结果推荐基金组合并解释理由，明确提示用户正在与人工智能交互。',
        catalogueCode: 'A0403',
        intendedUse: '基金销售平台的投资者陪伴服务。',
        tier: 'medium',
        riskAnswers: chatbot('finance'),
        end: 'withdrawn',
        daysAgo: 40,
      },
    ],
  },
];
