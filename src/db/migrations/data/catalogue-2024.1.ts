/**
 * FROZEN — never edit. The catalogue 2024.1 exactly as migration 0003 inserts it (a copy of
 * data/reference/catalogue/v1.json when that migration was written), so the migration writes
 * the same rows on every install however the reference file changes later. A new catalogue
 * version ships as a new migration with its own frozen copy, or is published through
 * POST /api/v1/catalogue/versions.
 */
export const CATALOGUE_2024_1 = {
  "version": "2024.1",
  "titleZh": "人工智能产业分类目录",
  "titleEn": "AI industry classification catalogue",
  "notesZh": "版本号为\"YYYY.N\"：YYYY 是所依据的最新国家文件的年份（本版为《国家人工智能产业综合标准化体系建设指南（2024版）》），N 是在此基础上的修订序号。代码稳定：F 基础层、T 技术层、A 应用层，每下一级加两位数字；已发布的代码不改含义、不复用，停用的代码在新版本中删除。",
  "notesEn": "Version \"YYYY.N\": YYYY is the year of the newest national document drawn on (here the 2024 AI industry standardisation guideline), N the revision on that basis. Codes are stable: F foundation, T technology, A application layer, two more digits per level; a published code never changes meaning and is never reused — a retired code is dropped in a later version.",
  "source": [
    {
      "id": "shenzhen-ai-regulations",
      "title": "深圳经济特区人工智能产业促进条例",
      "titleEn": "Regulations on the Promotion of the Artificial Intelligence Industry of the Shenzhen Special Economic Zone",
      "issuer": "深圳市人民代表大会常务委员会",
      "year": 2022,
      "number": "深圳市第七届人民代表大会常务委员会公告第六十四号",
      "url": "http://www.szrd.gov.cn/szrd_zlda/szrd_zlda_flfg/flfg_szfg/content/post_834707.html",
      "notes": "Legal basis: the Regulations (adopted 2022-08-30, in force 2022-11-01) require the city to establish AI-industry statistical classification standards and an AI industry classification catalogue. Art. 3 defines the AI industry as core industries (software and hardware R&D and production, system applications, integration services) plus the industries driven by AI applications."
    },
    {
      "id": "sei-2018",
      "title": "战略性新兴产业分类（2018）",
      "titleEn": "Classification of Strategic Emerging Industries (2018)",
      "issuer": "国家统计局",
      "year": 2018,
      "number": "国家统计局令第23号",
      "notes": "1.5 人工智能: 1.5.1 人工智能软件开发, 1.5.2 智能消费相关设备制造, 1.5.3 人工智能系统服务."
    },
    {
      "id": "digital-economy-2021",
      "title": "数字经济及其核心产业统计分类（2021）",
      "titleEn": "Statistical Classification of the Digital Economy and its Core Industries (2021)",
      "issuer": "国家统计局",
      "year": 2021,
      "number": "国家统计局令第33号",
      "notes": "Middle classes referenced: 0101, 0104, 0105 (digital product manufacturing), 0301, 0303, 0304 (digital technology application), 0404-0406 (digital-factor driven), 0501-0508 (digital efficiency improvement)."
    },
    {
      "id": "ai-standards-2020",
      "title": "国家新一代人工智能标准体系建设指南",
      "titleEn": "Guidelines for the Construction of the National New Generation AI Standard System",
      "issuer": "国家标准化管理委员会、中央网信办、国家发展改革委、科技部、工业和信息化部",
      "year": 2020,
      "number": "国标委联〔2020〕35号",
      "url": "http://www.samr.gov.cn/samrgkml/nsjg/bzjss/202008/W020200805607223893822.pdf",
      "notes": "Parts A–H: A 基础共性, B 支撑技术与产品, C 基础软硬件平台, D 关键通用技术, E 关键领域技术, F 产品与服务, G 行业应用, H 安全/伦理."
    },
    {
      "id": "ai-standards-2024",
      "title": "国家人工智能产业综合标准化体系建设指南（2024版）",
      "titleEn": "Guidelines for the Construction of the National AI Industry Comprehensive Standardisation System (2024 edition)",
      "issuer": "工业和信息化部、中央网信办、国家发展改革委、国家标准委",
      "year": 2024,
      "url": "https://www.cac.gov.cn/2024-07/03/c_1721686809220407.htm",
      "notes": "Seven parts: 基础共性, 基础支撑, 关键技术, 智能产品与服务, 赋能新型工业化, 行业应用, 安全/治理; industry chain of base, framework, model and application layers."
    }
  ],
  "items": [
    {
      "code": "F",
      "parentCode": null,
      "level": 1,
      "layer": "foundation",
      "nameZh": "基础层",
      "nameEn": "Foundation layer",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "基础支撑"
        },
        {
          "source": "ai-standards-2020",
          "locator": "B 支撑技术与产品"
        },
        {
          "source": "ai-standards-2020",
          "locator": "C 基础软硬件平台"
        }
      ]
    },
    {
      "code": "F01",
      "parentCode": "F",
      "level": 2,
      "layer": "foundation",
      "nameZh": "智能芯片",
      "nameEn": "AI chips",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "基础支撑·智能芯片"
        },
        {
          "source": "ai-standards-2020",
          "locator": "C 基础软硬件平台·智能芯片"
        },
        {
          "source": "sei-2018",
          "locator": "1.2 电子核心产业"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0105 电子元器件及设备制造"
        }
      ]
    },
    {
      "code": "F0101",
      "parentCode": "F01",
      "level": 3,
      "layer": "foundation",
      "nameZh": "GPU 等通用并行计算芯片",
      "nameEn": "GPUs and other general-purpose parallel processors"
    },
    {
      "code": "F0102",
      "parentCode": "F01",
      "level": 3,
      "layer": "foundation",
      "nameZh": "人工智能专用加速芯片（ASIC/NPU）",
      "nameEn": "Dedicated AI accelerators (ASIC/NPU)"
    },
    {
      "code": "F0103",
      "parentCode": "F01",
      "level": 3,
      "layer": "foundation",
      "nameZh": "FPGA 等可重构计算芯片",
      "nameEn": "FPGAs and other reconfigurable processors"
    },
    {
      "code": "F0104",
      "parentCode": "F01",
      "level": 3,
      "layer": "foundation",
      "nameZh": "类脑与存算一体芯片",
      "nameEn": "Neuromorphic and compute-in-memory chips"
    },
    {
      "code": "F0105",
      "parentCode": "F01",
      "level": 3,
      "layer": "foundation",
      "nameZh": "端侧与边缘推理芯片",
      "nameEn": "On-device and edge inference chips"
    },
    {
      "code": "F02",
      "parentCode": "F",
      "level": 2,
      "layer": "foundation",
      "nameZh": "智能传感器",
      "nameEn": "Intelligent sensors",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "基础支撑·智能传感器"
        },
        {
          "source": "ai-standards-2020",
          "locator": "B 支撑技术与产品·智能传感器"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0105 电子元器件及设备制造"
        }
      ]
    },
    {
      "code": "F0201",
      "parentCode": "F02",
      "level": 3,
      "layer": "foundation",
      "nameZh": "图像与视觉传感器",
      "nameEn": "Image and vision sensors"
    },
    {
      "code": "F0202",
      "parentCode": "F02",
      "level": 3,
      "layer": "foundation",
      "nameZh": "激光雷达与毫米波雷达",
      "nameEn": "LiDAR and millimetre-wave radar"
    },
    {
      "code": "F0203",
      "parentCode": "F02",
      "level": 3,
      "layer": "foundation",
      "nameZh": "声学与 MEMS 传感器",
      "nameEn": "Acoustic and MEMS sensors"
    },
    {
      "code": "F0204",
      "parentCode": "F02",
      "level": 3,
      "layer": "foundation",
      "nameZh": "触觉、力觉与生物传感器",
      "nameEn": "Tactile, force and biosensors"
    },
    {
      "code": "F03",
      "parentCode": "F",
      "level": 2,
      "layer": "foundation",
      "nameZh": "算力设施与计算设备",
      "nameEn": "Compute infrastructure and equipment",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "基础支撑·计算设备"
        },
        {
          "source": "ai-standards-2024",
          "locator": "基础支撑·算力中心"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0101 计算机制造"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0405 信息基础设施建设"
        }
      ]
    },
    {
      "code": "F0301",
      "parentCode": "F03",
      "level": 3,
      "layer": "foundation",
      "nameZh": "人工智能服务器与训练集群",
      "nameEn": "AI servers and training clusters"
    },
    {
      "code": "F0302",
      "parentCode": "F03",
      "level": 3,
      "layer": "foundation",
      "nameZh": "智算中心与超算中心",
      "nameEn": "Intelligent-computing and supercomputing centres"
    },
    {
      "code": "F0303",
      "parentCode": "F03",
      "level": 3,
      "layer": "foundation",
      "nameZh": "边缘计算设备",
      "nameEn": "Edge computing equipment"
    },
    {
      "code": "F0304",
      "parentCode": "F03",
      "level": 3,
      "layer": "foundation",
      "nameZh": "高速互联与存储设备",
      "nameEn": "High-speed interconnect and storage equipment"
    },
    {
      "code": "F04",
      "parentCode": "F",
      "level": 2,
      "layer": "foundation",
      "nameZh": "云服务与系统软件",
      "nameEn": "Cloud services and system software",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "B 支撑技术与产品·云计算"
        },
        {
          "source": "ai-standards-2020",
          "locator": "C 基础软硬件平台·系统软件"
        },
        {
          "source": "sei-2018",
          "locator": "1.4 互联网与云计算、大数据服务"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0304 信息技术服务"
        }
      ]
    },
    {
      "code": "F0401",
      "parentCode": "F04",
      "level": 3,
      "layer": "foundation",
      "nameZh": "云计算与算力租赁服务",
      "nameEn": "Cloud computing and compute rental"
    },
    {
      "code": "F0402",
      "parentCode": "F04",
      "level": 3,
      "layer": "foundation",
      "nameZh": "算力调度与算力网络服务",
      "nameEn": "Compute scheduling and compute-network services"
    },
    {
      "code": "F0403",
      "parentCode": "F04",
      "level": 3,
      "layer": "foundation",
      "nameZh": "操作系统、编译器与系统软件",
      "nameEn": "Operating systems, compilers and system software"
    },
    {
      "code": "F05",
      "parentCode": "F",
      "level": 2,
      "layer": "foundation",
      "nameZh": "数据资源与数据服务",
      "nameEn": "Data resources and data services",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "基础支撑·基础数据服务"
        },
        {
          "source": "ai-standards-2020",
          "locator": "B 支撑技术与产品·大数据"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0406 数据资源与产权交易"
        }
      ]
    },
    {
      "code": "F0501",
      "parentCode": "F05",
      "level": 3,
      "layer": "foundation",
      "nameZh": "数据采集与数据治理",
      "nameEn": "Data collection and data governance"
    },
    {
      "code": "F0502",
      "parentCode": "F05",
      "level": 3,
      "layer": "foundation",
      "nameZh": "数据标注",
      "nameEn": "Data annotation and labelling"
    },
    {
      "code": "F0503",
      "parentCode": "F05",
      "level": 3,
      "layer": "foundation",
      "nameZh": "训练数据集与语料库",
      "nameEn": "Training datasets and corpora"
    },
    {
      "code": "F0504",
      "parentCode": "F05",
      "level": 3,
      "layer": "foundation",
      "nameZh": "合成数据",
      "nameEn": "Synthetic data"
    },
    {
      "code": "F0505",
      "parentCode": "F05",
      "level": 3,
      "layer": "foundation",
      "nameZh": "数据交易与流通服务",
      "nameEn": "Data trading and circulation services"
    },
    {
      "code": "T",
      "parentCode": null,
      "level": 1,
      "layer": "technology",
      "nameZh": "技术层",
      "nameEn": "Technology layer",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "关键技术"
        },
        {
          "source": "ai-standards-2020",
          "locator": "D 关键通用技术"
        },
        {
          "source": "ai-standards-2020",
          "locator": "E 关键领域技术"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        }
      ]
    },
    {
      "code": "T01",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "机器学习与开发平台",
      "nameEn": "Machine learning and development platforms",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "基础支撑·开发框架"
        },
        {
          "source": "ai-standards-2020",
          "locator": "C 基础软硬件平台·开发框架"
        },
        {
          "source": "ai-standards-2020",
          "locator": "D 关键通用技术·机器学习"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0301 软件开发"
        }
      ]
    },
    {
      "code": "T0101",
      "parentCode": "T01",
      "level": 3,
      "layer": "technology",
      "nameZh": "深度学习框架",
      "nameEn": "Deep learning frameworks"
    },
    {
      "code": "T0102",
      "parentCode": "T01",
      "level": 3,
      "layer": "technology",
      "nameZh": "机器学习平台与模型运维（MLOps）",
      "nameEn": "Machine learning platforms and MLOps"
    },
    {
      "code": "T0103",
      "parentCode": "T01",
      "level": 3,
      "layer": "technology",
      "nameZh": "模型压缩、推理优化与部署工具",
      "nameEn": "Model compression, inference optimisation and deployment tools"
    },
    {
      "code": "T0104",
      "parentCode": "T01",
      "level": 3,
      "layer": "technology",
      "nameZh": "自动机器学习",
      "nameEn": "Automated machine learning (AutoML)"
    },
    {
      "code": "T02",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "计算机视觉",
      "nameEn": "Computer vision",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "关键技术·计算机视觉"
        },
        {
          "source": "ai-standards-2020",
          "locator": "E 关键领域技术·计算机视觉"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        }
      ]
    },
    {
      "code": "T0201",
      "parentCode": "T02",
      "level": 3,
      "layer": "technology",
      "nameZh": "图像识别与分类",
      "nameEn": "Image recognition and classification"
    },
    {
      "code": "T0202",
      "parentCode": "T02",
      "level": 3,
      "layer": "technology",
      "nameZh": "目标检测、跟踪与视频分析",
      "nameEn": "Object detection, tracking and video analytics"
    },
    {
      "code": "T0203",
      "parentCode": "T02",
      "level": 3,
      "layer": "technology",
      "nameZh": "三维视觉与场景重建",
      "nameEn": "3D vision and scene reconstruction"
    },
    {
      "code": "T0204",
      "parentCode": "T02",
      "level": 3,
      "layer": "technology",
      "nameZh": "光学字符识别与文档理解",
      "nameEn": "Optical character recognition and document understanding"
    },
    {
      "code": "T03",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "智能语音",
      "nameEn": "Speech technology",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "关键技术·智能语音"
        },
        {
          "source": "ai-standards-2020",
          "locator": "E 关键领域技术·智能语音"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        }
      ]
    },
    {
      "code": "T0301",
      "parentCode": "T03",
      "level": 3,
      "layer": "technology",
      "nameZh": "语音识别",
      "nameEn": "Speech recognition"
    },
    {
      "code": "T0302",
      "parentCode": "T03",
      "level": 3,
      "layer": "technology",
      "nameZh": "语音合成",
      "nameEn": "Speech synthesis"
    },
    {
      "code": "T0303",
      "parentCode": "T03",
      "level": 3,
      "layer": "technology",
      "nameZh": "语音交互与声学信号处理",
      "nameEn": "Voice interaction and acoustic signal processing"
    },
    {
      "code": "T04",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "自然语言处理",
      "nameEn": "Natural language processing",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "关键技术·自然语言处理"
        },
        {
          "source": "ai-standards-2020",
          "locator": "E 关键领域技术·自然语言处理"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        }
      ]
    },
    {
      "code": "T0401",
      "parentCode": "T04",
      "level": 3,
      "layer": "technology",
      "nameZh": "机器翻译",
      "nameEn": "Machine translation"
    },
    {
      "code": "T0402",
      "parentCode": "T04",
      "level": 3,
      "layer": "technology",
      "nameZh": "文本理解与信息抽取",
      "nameEn": "Text understanding and information extraction"
    },
    {
      "code": "T0403",
      "parentCode": "T04",
      "level": 3,
      "layer": "technology",
      "nameZh": "对话系统与智能问答",
      "nameEn": "Dialogue systems and question answering"
    },
    {
      "code": "T0404",
      "parentCode": "T04",
      "level": 3,
      "layer": "technology",
      "nameZh": "信息检索与语义搜索",
      "nameEn": "Information retrieval and semantic search"
    },
    {
      "code": "T05",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "知识图谱与知识工程",
      "nameEn": "Knowledge graphs and knowledge engineering",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "关键技术·知识图谱"
        },
        {
          "source": "ai-standards-2020",
          "locator": "D 关键通用技术·知识图谱"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        }
      ]
    },
    {
      "code": "T0501",
      "parentCode": "T05",
      "level": 3,
      "layer": "technology",
      "nameZh": "知识图谱构建",
      "nameEn": "Knowledge graph construction"
    },
    {
      "code": "T0502",
      "parentCode": "T05",
      "level": 3,
      "layer": "technology",
      "nameZh": "知识推理与决策支持",
      "nameEn": "Knowledge reasoning and decision support"
    },
    {
      "code": "T06",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "大模型与生成式人工智能",
      "nameEn": "Foundation models and generative AI",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "关键技术·大模型"
        },
        {
          "source": "ai-standards-2024",
          "locator": "关键技术·智能体"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        }
      ]
    },
    {
      "code": "T0601",
      "parentCode": "T06",
      "level": 3,
      "layer": "technology",
      "nameZh": "通用大语言模型",
      "nameEn": "General-purpose large language models"
    },
    {
      "code": "T0602",
      "parentCode": "T06",
      "level": 3,
      "layer": "technology",
      "nameZh": "多模态大模型",
      "nameEn": "Multimodal foundation models"
    },
    {
      "code": "T0603",
      "parentCode": "T06",
      "level": 3,
      "layer": "technology",
      "nameZh": "行业大模型",
      "nameEn": "Industry-specific foundation models"
    },
    {
      "code": "T0604",
      "parentCode": "T06",
      "level": 3,
      "layer": "technology",
      "nameZh": "图像、音频与视频生成",
      "nameEn": "Image, audio and video generation"
    },
    {
      "code": "T0605",
      "parentCode": "T06",
      "level": 3,
      "layer": "technology",
      "nameZh": "智能体",
      "nameEn": "AI agents"
    },
    {
      "code": "T07",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "生物特征识别",
      "nameEn": "Biometrics",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "关键技术·生物特征识别"
        },
        {
          "source": "ai-standards-2020",
          "locator": "E 关键领域技术·生物特征识别"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.1 人工智能软件开发"
        }
      ]
    },
    {
      "code": "T0701",
      "parentCode": "T07",
      "level": 3,
      "layer": "technology",
      "nameZh": "人脸识别",
      "nameEn": "Face recognition"
    },
    {
      "code": "T0702",
      "parentCode": "T07",
      "level": 3,
      "layer": "technology",
      "nameZh": "指纹、掌纹与虹膜识别",
      "nameEn": "Fingerprint, palm-print and iris recognition"
    },
    {
      "code": "T0703",
      "parentCode": "T07",
      "level": 3,
      "layer": "technology",
      "nameZh": "声纹识别",
      "nameEn": "Speaker (voiceprint) recognition"
    },
    {
      "code": "T0704",
      "parentCode": "T07",
      "level": 3,
      "layer": "technology",
      "nameZh": "步态等行为特征识别",
      "nameEn": "Gait and other behavioural biometrics"
    },
    {
      "code": "T08",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "机器人与具身智能",
      "nameEn": "Robotics and embodied intelligence",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "智能产品与服务·智能机器人"
        },
        {
          "source": "ai-standards-2020",
          "locator": "F 产品与服务·智能机器人"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0104 智能设备制造"
        },
        {
          "source": "sei-2018",
          "locator": "2.1 智能制造装备产业"
        }
      ]
    },
    {
      "code": "T0801",
      "parentCode": "T08",
      "level": 3,
      "layer": "technology",
      "nameZh": "工业机器人",
      "nameEn": "Industrial robots"
    },
    {
      "code": "T0802",
      "parentCode": "T08",
      "level": 3,
      "layer": "technology",
      "nameZh": "服务机器人",
      "nameEn": "Service robots"
    },
    {
      "code": "T0803",
      "parentCode": "T08",
      "level": 3,
      "layer": "technology",
      "nameZh": "特种机器人",
      "nameEn": "Special-purpose robots"
    },
    {
      "code": "T0804",
      "parentCode": "T08",
      "level": 3,
      "layer": "technology",
      "nameZh": "人形机器人与具身智能",
      "nameEn": "Humanoid robots and embodied intelligence"
    },
    {
      "code": "T09",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "人机交互与增强智能",
      "nameEn": "Human–machine interaction and augmented intelligence",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "智能产品与服务·数字人"
        },
        {
          "source": "ai-standards-2020",
          "locator": "E 关键领域技术·人机交互"
        },
        {
          "source": "ai-standards-2020",
          "locator": "E 关键领域技术·虚拟现实/增强现实"
        }
      ]
    },
    {
      "code": "T0901",
      "parentCode": "T09",
      "level": 3,
      "layer": "technology",
      "nameZh": "数字人与虚拟人",
      "nameEn": "Digital and virtual humans"
    },
    {
      "code": "T0902",
      "parentCode": "T09",
      "level": 3,
      "layer": "technology",
      "nameZh": "虚拟现实与增强现实交互",
      "nameEn": "Virtual and augmented reality interaction"
    },
    {
      "code": "T0903",
      "parentCode": "T09",
      "level": 3,
      "layer": "technology",
      "nameZh": "脑机接口",
      "nameEn": "Brain–computer interfaces"
    },
    {
      "code": "T10",
      "parentCode": "T",
      "level": 2,
      "layer": "technology",
      "nameZh": "人工智能安全与治理技术",
      "nameEn": "AI safety and governance technology",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "安全/治理"
        },
        {
          "source": "ai-standards-2020",
          "locator": "H 安全/伦理"
        }
      ]
    },
    {
      "code": "T1001",
      "parentCode": "T10",
      "level": 3,
      "layer": "technology",
      "nameZh": "模型测试、评测与认证",
      "nameEn": "Model testing, evaluation and certification"
    },
    {
      "code": "T1002",
      "parentCode": "T10",
      "level": 3,
      "layer": "technology",
      "nameZh": "深度合成检测与内容标识",
      "nameEn": "Deep-synthesis detection and content labelling"
    },
    {
      "code": "T1003",
      "parentCode": "T10",
      "level": 3,
      "layer": "technology",
      "nameZh": "隐私计算与数据安全",
      "nameEn": "Privacy-preserving computation and data security"
    },
    {
      "code": "A",
      "parentCode": null,
      "level": 1,
      "layer": "application",
      "nameZh": "应用层",
      "nameEn": "Application layer",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "行业应用"
        },
        {
          "source": "ai-standards-2024",
          "locator": "赋能新型工业化"
        },
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A01",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智能制造",
      "nameEn": "Intelligent manufacturing",
      "refs": [
        {
          "source": "ai-standards-2024",
          "locator": "赋能新型工业化"
        },
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用·智能制造"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0502 智能制造"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0101",
      "parentCode": "A01",
      "level": 3,
      "layer": "application",
      "nameZh": "工业视觉质检",
      "nameEn": "Industrial visual inspection"
    },
    {
      "code": "A0102",
      "parentCode": "A01",
      "level": 3,
      "layer": "application",
      "nameZh": "设备预测性维护",
      "nameEn": "Predictive maintenance"
    },
    {
      "code": "A0103",
      "parentCode": "A01",
      "level": 3,
      "layer": "application",
      "nameZh": "生产调度与工艺优化",
      "nameEn": "Production scheduling and process optimisation"
    },
    {
      "code": "A0104",
      "parentCode": "A01",
      "level": 3,
      "layer": "application",
      "nameZh": "研发设计与仿真",
      "nameEn": "AI-assisted design and simulation"
    },
    {
      "code": "A02",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧医疗",
      "nameEn": "Healthcare",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用·智能医疗"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0507 数字社会"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0201",
      "parentCode": "A02",
      "level": 3,
      "layer": "application",
      "nameZh": "医学影像辅助诊断",
      "nameEn": "Medical imaging and diagnostic support"
    },
    {
      "code": "A0202",
      "parentCode": "A02",
      "level": 3,
      "layer": "application",
      "nameZh": "临床辅助决策",
      "nameEn": "Clinical decision support"
    },
    {
      "code": "A0203",
      "parentCode": "A02",
      "level": 3,
      "layer": "application",
      "nameZh": "药物与生物医药研发",
      "nameEn": "Drug discovery and biomedical R&D"
    },
    {
      "code": "A0204",
      "parentCode": "A02",
      "level": 3,
      "layer": "application",
      "nameZh": "健康管理与智能问诊",
      "nameEn": "Health management and online consultation"
    },
    {
      "code": "A0205",
      "parentCode": "A02",
      "level": 3,
      "layer": "application",
      "nameZh": "手术与康复机器人",
      "nameEn": "Surgical and rehabilitation robots"
    },
    {
      "code": "A0206",
      "parentCode": "A02",
      "level": 3,
      "layer": "application",
      "nameZh": "医院管理与医保审核",
      "nameEn": "Hospital operations and medical-insurance review"
    },
    {
      "code": "A03",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智能交通与自动驾驶",
      "nameEn": "Transport and autonomous driving",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "F 产品与服务·智能运载工具"
        },
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用·智能交通"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0503 智能交通"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0301",
      "parentCode": "A03",
      "level": 3,
      "layer": "application",
      "nameZh": "自动驾驶系统",
      "nameEn": "Automated driving systems"
    },
    {
      "code": "A0302",
      "parentCode": "A03",
      "level": 3,
      "layer": "application",
      "nameZh": "智能座舱与车载系统",
      "nameEn": "Smart cockpits and in-vehicle systems"
    },
    {
      "code": "A0303",
      "parentCode": "A03",
      "level": 3,
      "layer": "application",
      "nameZh": "交通信号与路网管控",
      "nameEn": "Traffic signal and road-network control"
    },
    {
      "code": "A0304",
      "parentCode": "A03",
      "level": 3,
      "layer": "application",
      "nameZh": "无人机与低空飞行应用",
      "nameEn": "Drones and low-altitude flight"
    },
    {
      "code": "A04",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧金融",
      "nameEn": "Finance",
      "refs": [
        {
          "source": "digital-economy-2021",
          "locator": "0505 数字金融"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0401",
      "parentCode": "A04",
      "level": 3,
      "layer": "application",
      "nameZh": "智能风控与反欺诈",
      "nameEn": "Risk control and fraud detection"
    },
    {
      "code": "A0402",
      "parentCode": "A04",
      "level": 3,
      "layer": "application",
      "nameZh": "信用评估与授信",
      "nameEn": "Credit assessment and lending decisions"
    },
    {
      "code": "A0403",
      "parentCode": "A04",
      "level": 3,
      "layer": "application",
      "nameZh": "智能投顾与量化交易",
      "nameEn": "Robo-advice and quantitative trading"
    },
    {
      "code": "A0404",
      "parentCode": "A04",
      "level": 3,
      "layer": "application",
      "nameZh": "保险核保、定价与理赔",
      "nameEn": "Insurance underwriting, pricing and claims"
    },
    {
      "code": "A05",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧教育",
      "nameEn": "Education",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用·智能教育"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0507 数字社会"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0501",
      "parentCode": "A05",
      "level": 3,
      "layer": "application",
      "nameZh": "个性化学习与智能辅导",
      "nameEn": "Personalised learning and tutoring"
    },
    {
      "code": "A0502",
      "parentCode": "A05",
      "level": 3,
      "layer": "application",
      "nameZh": "智能测评与阅卷",
      "nameEn": "Automated assessment and marking"
    },
    {
      "code": "A0503",
      "parentCode": "A05",
      "level": 3,
      "layer": "application",
      "nameZh": "考试监考与考务管理",
      "nameEn": "Exam proctoring and administration"
    },
    {
      "code": "A06",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧政务与城市治理",
      "nameEn": "Government services and city governance",
      "refs": [
        {
          "source": "digital-economy-2021",
          "locator": "0508 数字政府"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0601",
      "parentCode": "A06",
      "level": 3,
      "layer": "application",
      "nameZh": "政务服务智能办理",
      "nameEn": "Intelligent government service processing"
    },
    {
      "code": "A0602",
      "parentCode": "A06",
      "level": 3,
      "layer": "application",
      "nameZh": "城市运行管理（城市大脑）",
      "nameEn": "City operations management (\"city brain\")"
    },
    {
      "code": "A0603",
      "parentCode": "A06",
      "level": 3,
      "layer": "application",
      "nameZh": "司法辅助",
      "nameEn": "Judicial assistance"
    },
    {
      "code": "A0604",
      "parentCode": "A06",
      "level": 3,
      "layer": "application",
      "nameZh": "社会保障与公共服务",
      "nameEn": "Social security and public services"
    },
    {
      "code": "A07",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "公共安全",
      "nameEn": "Public security",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0701",
      "parentCode": "A07",
      "level": 3,
      "layer": "application",
      "nameZh": "视频监控智能分析",
      "nameEn": "Intelligent video-surveillance analysis"
    },
    {
      "code": "A0702",
      "parentCode": "A07",
      "level": 3,
      "layer": "application",
      "nameZh": "应急管理与灾害预警",
      "nameEn": "Emergency management and disaster warning"
    },
    {
      "code": "A0703",
      "parentCode": "A07",
      "level": 3,
      "layer": "application",
      "nameZh": "网络安全防护",
      "nameEn": "Cybersecurity defence"
    },
    {
      "code": "A0704",
      "parentCode": "A07",
      "level": 3,
      "layer": "application",
      "nameZh": "边境与出入境管理",
      "nameEn": "Border and immigration control"
    },
    {
      "code": "A08",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧零售与电子商务",
      "nameEn": "Retail and e-commerce",
      "refs": [
        {
          "source": "digital-economy-2021",
          "locator": "0506 数字商贸"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0801",
      "parentCode": "A08",
      "level": 3,
      "layer": "application",
      "nameZh": "个性化推荐与精准营销",
      "nameEn": "Personalised recommendation and targeted marketing"
    },
    {
      "code": "A0802",
      "parentCode": "A08",
      "level": 3,
      "layer": "application",
      "nameZh": "无人零售与智能门店",
      "nameEn": "Unmanned retail and smart stores"
    },
    {
      "code": "A0803",
      "parentCode": "A08",
      "level": 3,
      "layer": "application",
      "nameZh": "智能客服",
      "nameEn": "Customer-service agents"
    },
    {
      "code": "A09",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧农业",
      "nameEn": "Agriculture",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用·智能农业"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0501 智慧农业"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A0901",
      "parentCode": "A09",
      "level": 3,
      "layer": "application",
      "nameZh": "精准种植与病虫害识别",
      "nameEn": "Precision farming and pest and disease detection"
    },
    {
      "code": "A0902",
      "parentCode": "A09",
      "level": 3,
      "layer": "application",
      "nameZh": "智能养殖",
      "nameEn": "Smart livestock and aquaculture"
    },
    {
      "code": "A0903",
      "parentCode": "A09",
      "level": 3,
      "layer": "application",
      "nameZh": "农业无人机与无人农机",
      "nameEn": "Agricultural drones and autonomous machinery"
    },
    {
      "code": "A10",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧能源",
      "nameEn": "Energy",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用·智能能源"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A1001",
      "parentCode": "A10",
      "level": 3,
      "layer": "application",
      "nameZh": "新能源功率预测",
      "nameEn": "Renewable power forecasting"
    },
    {
      "code": "A1002",
      "parentCode": "A10",
      "level": 3,
      "layer": "application",
      "nameZh": "智能电网调度与运维",
      "nameEn": "Smart-grid dispatch and operations"
    },
    {
      "code": "A1003",
      "parentCode": "A10",
      "level": 3,
      "layer": "application",
      "nameZh": "油气、矿山与化工智能化",
      "nameEn": "Intelligent oil, gas, mining and chemicals"
    },
    {
      "code": "A11",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "媒体与内容",
      "nameEn": "Media and content",
      "refs": [
        {
          "source": "digital-economy-2021",
          "locator": "0404 数字内容与媒体"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A1101",
      "parentCode": "A11",
      "level": 3,
      "layer": "application",
      "nameZh": "生成式内容创作",
      "nameEn": "Generative content creation"
    },
    {
      "code": "A1102",
      "parentCode": "A11",
      "level": 3,
      "layer": "application",
      "nameZh": "内容审核",
      "nameEn": "Content moderation"
    },
    {
      "code": "A1103",
      "parentCode": "A11",
      "level": 3,
      "layer": "application",
      "nameZh": "新闻资讯与信息流推荐",
      "nameEn": "News and feed recommendation"
    },
    {
      "code": "A1104",
      "parentCode": "A11",
      "level": 3,
      "layer": "application",
      "nameZh": "影视、游戏与动漫制作",
      "nameEn": "Film, game and animation production"
    },
    {
      "code": "A12",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智能家居与消费电子",
      "nameEn": "Smart home and consumer electronics",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "F 产品与服务·智能终端"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0104 智能设备制造"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.2 智能消费相关设备制造"
        }
      ]
    },
    {
      "code": "A1201",
      "parentCode": "A12",
      "level": 3,
      "layer": "application",
      "nameZh": "智能家电",
      "nameEn": "Smart home appliances"
    },
    {
      "code": "A1202",
      "parentCode": "A12",
      "level": 3,
      "layer": "application",
      "nameZh": "智能音箱与语音助手",
      "nameEn": "Smart speakers and voice assistants"
    },
    {
      "code": "A1203",
      "parentCode": "A12",
      "level": 3,
      "layer": "application",
      "nameZh": "可穿戴智能设备",
      "nameEn": "Wearable smart devices"
    },
    {
      "code": "A1204",
      "parentCode": "A12",
      "level": 3,
      "layer": "application",
      "nameZh": "智能手机与个人终端",
      "nameEn": "Smartphones and personal devices"
    },
    {
      "code": "A13",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "智慧物流",
      "nameEn": "Logistics",
      "refs": [
        {
          "source": "ai-standards-2020",
          "locator": "G 行业应用"
        },
        {
          "source": "digital-economy-2021",
          "locator": "0504 智慧物流"
        },
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A1301",
      "parentCode": "A13",
      "level": 3,
      "layer": "application",
      "nameZh": "智能仓储与分拣",
      "nameEn": "Smart warehousing and sorting"
    },
    {
      "code": "A1302",
      "parentCode": "A13",
      "level": 3,
      "layer": "application",
      "nameZh": "路径规划与运力调度",
      "nameEn": "Route planning and fleet dispatch"
    },
    {
      "code": "A1303",
      "parentCode": "A13",
      "level": 3,
      "layer": "application",
      "nameZh": "无人配送",
      "nameEn": "Autonomous delivery"
    },
    {
      "code": "A14",
      "parentCode": "A",
      "level": 2,
      "layer": "application",
      "nameZh": "人力资源服务",
      "nameEn": "Human resources",
      "refs": [
        {
          "source": "sei-2018",
          "locator": "1.5.3 人工智能系统服务"
        }
      ]
    },
    {
      "code": "A1401",
      "parentCode": "A14",
      "level": 3,
      "layer": "application",
      "nameZh": "招聘筛选与人才测评",
      "nameEn": "Recruitment screening and talent assessment"
    },
    {
      "code": "A1402",
      "parentCode": "A14",
      "level": 3,
      "layer": "application",
      "nameZh": "员工管理与绩效分析",
      "nameEn": "Workforce management and performance analytics"
    }
  ]
};
