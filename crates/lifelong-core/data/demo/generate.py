#!/usr/bin/env python3
"""Generates the demo catalog's units.toml and standards.toml from the compact tables below.

    python3 crates/lifelong-core/data/demo/generate.py

The outputs are committed; run this again after editing a table, then
`cargo test -p lifelong-core -- catalog`. programmes.toml (programmes and conversion rules) is
written by hand; this script only checks it (references, R11, R20, credit codes) at the end.

Unit codes: U-<category>-<industry>-<number>, category A (academic), V (vocational) or
L (leisure), industry the GB/T 4754 section letter, and the number by family:
  V 0101–4101  skill certificates: two digits of occupation, two of certificate level (05…01)
  V 60xx       vocational and professional qualifications (职业资格, 专业技术资格)
  V 80xx       training recognised by hours
  A 10xx       examination certificates (NCRE, CET, interpretation, Putonghua)
  A 20xx       self-taught higher education examination courses (自学考试)
  A 30xx       course units for course credits of any institution
  L 00xx       culture and leisure (community schools, elderly universities)

Credits of skill certificates follow the level: 五级 2, 四级 4, 三级 5, 二级 6, 一级 8 credits at
framework levels 3, 4, 5, 6 and 7 (see data/framework.toml).

Occupation and certificate codes are plausible demo codes in the shape of the national
occupation classification (e.g. 6-31-01-03 电工); check them against the current classification
before using this catalog for real.
"""

import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FROM = "2024-01-01"

# The demo institutions (GB 32100 codes, check characters verified below).
OPEN_UNIVERSITY = "12310000425005386H"  # 上海开放大学
COLLEGE = "12310000MB2F1234XE"  # 上海浦江城建职业技术学院 (a fictional demo college)


def s(text):
    """A TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def t2(zh, en):
    return "{ zh = %s, en = %s }" % (s(zh), s(en))


# ---------------------------------------------------------------------------------------------
# Skill certificates (职业技能等级证书), one unit per occupation and certificate level.
# key, occupation code, zh, en, industry, highest level, lowest level, task zh, task en,
# with standards (True: the bank publishes recognition standards for every level).
OCCUPATIONS = [
    ("ELEC", "6-31-01-03", "电工", "Electrician", "D", 1, 5,
     "低压电气线路和设备的安装、调试与维修", "installation, commissioning and repair of low-voltage wiring and equipment", True),
    ("WELD", "6-18-02-04", "焊工", "Welder", "C", 1, 5,
     "金属结构件的焊接与热切割", "welding and thermal cutting of metal structures", True),
    ("FITT", "6-20-01-01", "装配钳工", "Assembly fitter", "C", 1, 5,
     "机械零部件的划线、锉削、装配与调整", "marking out, filing, assembly and adjustment of machine parts", False),
    ("TURN", "6-18-01-01", "车工", "Lathe operator", "C", 1, 5,
     "轴类和盘类零件的车削加工", "turning of shaft and disc parts", False),
    ("ROBO", "6-30-99-00", "工业机器人系统操作员", "Industrial robot system operator", "C", 2, 5,
     "工业机器人工作站的编程、操作与日常维护", "programming, operation and routine maintenance of industrial robot cells", False),
    ("CHEM", "6-31-03-01", "化学检验员", "Chemical analyst", "M", 1, 5,
     "化工产品与原材料的取样、理化检验和数据处理", "sampling, physical and chemical testing and data handling for chemicals and raw materials", False),
    ("LIFT", "6-29-03-03", "电梯安装维修工", "Lift installer and mechanic", "E", 2, 5,
     "电梯的安装、日常保养和故障排除", "installation, routine maintenance and fault-finding of lifts", True),
    ("HVAC", "6-29-03-01", "制冷空调系统安装维修工", "Refrigeration and air-conditioning mechanic", "E", 1, 5,
     "制冷与空调系统的安装、调试和维修", "installation, commissioning and repair of refrigeration and air-conditioning systems", False),
    ("BIM", "4-04-05-04", "建筑信息模型技术员", "Building information modelling technician", "E", 1, 4,
     "建筑信息模型的创建、协同与应用", "creation, coordination and use of building information models", False),
    ("BAS", "4-07-05-03", "智能楼宇管理员", "Intelligent building manager", "K", 1, 5,
     "楼宇自控、安防和消防等智能化系统的运行、维护与管理", "operation, maintenance and management of building automation, security and fire systems", True),
    ("FIRE", "4-07-05-04", "消防设施操作员", "Fire-protection system operator", "L", 1, 5,
     "消防控制室值守和消防设施的检查、保养与维修", "fire control room duty and the inspection, upkeep and repair of fire-protection systems", True),
    ("SECU", "4-07-05-01", "保安员", "Security guard", "L", 3, 5,
     "门岗、巡逻、守护和突发事件的先期处置", "gate duty, patrols, guarding and first response to incidents", False),
    ("PROP", "4-06-01-01", "物业管理员", "Property management officer", "K", 3, 5,
     "物业服务的客户接待、房屋设施管理和费用管理", "resident services, building and facility management and service charges", False),
    ("AUTO", "4-12-01-01", "汽车维修工", "Motor vehicle mechanic", "O", 1, 5,
     "汽车机械与电气系统的检测、维护和修理", "testing, servicing and repair of vehicles' mechanical and electrical systems", True),
    ("INFC", "4-10-01-02", "育婴员", "Infant care worker", "O", 3, 5,
     "0–3岁婴幼儿的生活照料、保健护理和早期发展指导", "daily care, health care and early development support for children under three", True),
    ("NRSY", "4-10-01-03", "保育师", "Nursery care worker", "P", 2, 5,
     "托育机构和幼儿园中幼儿的保育、卫生保健与安全照护", "care, hygiene and safety of young children in nurseries and kindergartens", False),
    ("ELDC", "4-10-01-05", "养老护理员", "Elderly care worker", "Q", 1, 5,
     "老年人的生活照护、基础护理和康复服务", "daily living care, basic nursing and rehabilitation support for older people", True),
    ("HOME", "4-10-01-06", "家政服务员", "Domestic service worker", "O", 3, 5,
     "家庭保洁、烹饪、衣物整理和家庭成员照护", "household cleaning, cooking, laundry and care of household members", False),
    ("CNCK", "4-03-02-01", "中式烹调师", "Chinese cook", "H", 1, 5,
     "中式菜肴的原料加工、刀工、火候与烹调", "preparation, knife work, heat control and cooking of Chinese dishes", True),
    ("CNPS", "4-03-02-02", "中式面点师", "Chinese pastry cook", "H", 1, 5,
     "中式面点的制馅、成形与熟制", "making fillings, shaping and cooking Chinese pastries and dim sum", False),
    ("WSCK", "4-03-02-03", "西式烹调师", "Western cook", "H", 1, 5,
     "西式菜肴、汤汁和沙司制作", "preparing Western dishes, stocks and sauces", False),
    ("WSPS", "4-03-02-04", "西式面点师", "Western pastry cook", "H", 1, 5,
     "面包、蛋糕和西点制作与装饰", "baking and decorating bread, cakes and pastries", False),
    ("TEA", "4-03-02-07", "茶艺师", "Tea master", "H", 1, 5,
     "茶叶识别、冲泡技艺和茶事服务", "tea identification, brewing and tea service", False),
    ("COFF", "4-03-02-08", "咖啡师", "Barista", "H", 2, 5,
     "咖啡豆识别、意式咖啡制作和吧台服务", "coffee selection, espresso making and coffee bar service", False),
    ("REST", "4-03-01-02", "餐厅服务员", "Restaurant server", "H", 2, 5,
     "餐厅迎宾、点菜、席间服务与宴会服务", "greeting, order taking, table service and banquet service", False),
    ("BEAU", "4-10-03-01", "美容师", "Beautician", "O", 1, 5,
     "皮肤护理、面部护理与化妆", "skin care, facial treatment and make-up", False),
    ("HAIR", "4-10-03-02", "美发师", "Hairdresser", "O", 1, 5,
     "洗发、剪发、烫染和发型设计", "washing, cutting, perming, colouring and styling hair", False),
    ("MASS", "4-10-04-02", "保健按摩师", "Health massage therapist", "O", 1, 5,
     "保健按摩手法和经络穴位调理", "health massage techniques and acupoint care", False),
    ("ECOM", "4-01-02-02", "电子商务师", "E-commerce specialist", "F", 1, 5,
     "网店运营、商品推广和电子商务数据分析", "online shop operation, product promotion and e-commerce data analysis", False),
    ("SALE", "4-01-02-01", "营销员", "Salesperson", "F", 1, 5,
     "市场调查、客户开发与产品销售", "market research, customer development and sales", False),
    ("LIVE", "4-01-02-07", "互联网营销师", "Internet marketer", "F", 1, 5,
     "直播销售、短视频营销和平台运营", "live-stream selling, short-video marketing and platform operation", False),
    ("LOGI", "4-02-06-03", "物流服务师", "Logistics service specialist", "G", 2, 5,
     "仓储管理、配送组织和物流信息处理", "warehousing, distribution and logistics information", False),
    ("UAV", "4-02-04-05", "无人机驾驶员", "Drone pilot", "G", 1, 5,
     "无人机的飞行操控、航线规划和任务载荷操作", "flying drones, planning routes and operating payloads", False),
    ("PROG", "4-04-05-01", "计算机程序设计员", "Computer programmer", "I", 1, 5,
     "软件的编码、调试、测试和文档编写", "coding, debugging, testing and documenting software", True),
    ("NSEC", "4-04-04-02", "网络与信息安全管理员", "Network and information security administrator", "I", 1, 5,
     "网络设备配置、系统运维和信息安全防护", "network configuration, system administration and information security protection", True),
    ("AITR", "4-04-05-05", "人工智能训练师", "Artificial intelligence trainer", "I", 1, 5,
     "数据采集与标注、智能系统训练和效果测试", "data collection and labelling, training of intelligent systems and testing of the results", True),
    ("HLTH", "4-14-02-02", "健康管理师", "Health manager", "Q", 1, 3,
     "个人和群体的健康监测、风险评估和健康干预", "health monitoring, risk assessment and health intervention for individuals and groups", False),
    ("NUTR", "4-14-02-01", "公共营养师", "Public nutritionist", "Q", 1, 4,
     "膳食调查、营养评价和膳食指导", "diet surveys, nutrition assessment and dietary guidance", False),
    ("HRM", "4-07-03-02", "企业人力资源管理师", "Enterprise human resources manager", "L", 1, 4,
     "招聘配置、培训开发、绩效与薪酬管理", "recruitment, training and development, performance and pay management", True),
    ("AGRI", "5-05-01-02", "农业经理人", "Agricultural business manager", "A", 1, 5,
     "农业生产经营的组织、成本核算和农产品营销", "organising, costing and marketing of farm production", False),
    ("GARD", "4-09-10-01", "园林绿化工", "Landscape gardener", "N", 2, 5,
     "花木种植、绿地养护和园林病虫害防治", "planting, green-space upkeep and pest control in parks and gardens", False),
]

# certificate level → (framework level, credits, zh name, en name, criteria zh, criteria en)
SKILL_LEVELS = {
    5: (3, "2", "五级/初级工", "level 5, entry", "在指导下从事{task}的基础工作", "performs basic tasks in {task} under guidance"),
    4: (4, "4", "四级/中级工", "level 4, intermediate", "独立从事{task}的常规工作", "carries out routine work in {task} on their own"),
    3: (5, "5", "三级/高级工", "level 3, senior", "独立完成{task}中的复杂工作并处理常见问题", "handles complex work in {task} on their own and deals with common problems"),
    2: (6, "6", "二级/技师", "level 2, technician", "解决{task}中的技术难题，并指导初、中级人员", "solves difficult technical problems in {task} and coaches junior and intermediate staff"),
    1: (7, "8", "一级/高级技师", "level 1, senior technician", "主持{task}的技术攻关和改进创新，并培养技师", "leads technical breakthroughs and improvements in {task} and trains technicians"),
}


def skill_unit_code(seq, industry, cert_level):
    return "U-V-%s-%02d%02d" % (industry, seq, cert_level)


# ---------------------------------------------------------------------------------------------
# Vocational and professional qualifications (职业资格, 专业技术资格).
# number, industry, zh, en, level, credits, certificate code, criteria zh, criteria en,
# standard code (None: no standard published yet)
QUALIFICATIONS = [
    (6001, "L", "初级会计专业技术资格", "Junior accounting qualification", 6, "5", "ACCT-JR",
     "通过初级会计专业技术资格考试，能完成会计核算和基础财务管理工作。", "Passes the junior accounting qualification examination and can keep accounts and do basic financial management.", "RS-ACCT-JR"),
    (6002, "L", "中级会计专业技术资格", "Intermediate accounting qualification", 8, "8", "ACCT-MID",
     "通过中级会计专业技术资格考试，能负责单位的财务管理和会计工作。", "Passes the intermediate accounting qualification examination and can run an organisation's accounting and financial management.", None),
    (6003, "J", "证券业从业人员一般从业资格", "Securities industry practitioner qualification", 6, "4", "SAC-GEN",
     "通过证券业从业人员一般从业资格考试，掌握证券市场基础知识和相关法规。", "Passes the securities practitioner examination and knows the basics of the securities market and its regulations.", "RS-SAC-GEN"),
    (6004, "J", "基金从业资格", "Fund practitioner qualification", 6, "4", "AMAC-FUND",
     "通过基金从业资格考试，掌握基金法规、职业道德和投资基础知识。", "Passes the fund practitioner examination and knows fund regulations, professional ethics and investment basics.", None),
    (6005, "J", "期货从业资格", "Futures practitioner qualification", 6, "4", "CFAC-FUT",
     "通过期货从业资格考试，掌握期货基础知识和相关法律法规。", "Passes the futures practitioner examination and knows futures basics and the relevant law.", None),
    (6006, "J", "银行业专业人员职业资格（初级）", "Banking professional qualification (junior)", 6, "4", "CBP-JR",
     "通过银行业专业人员初级职业资格考试，能完成银行基础业务。", "Passes the junior banking professional examination and can handle basic banking business.", None),
    (6007, "L", "初级经济专业技术资格", "Junior economist qualification", 6, "5", "ECON-JR",
     "通过初级经济专业技术资格考试，掌握经济基础知识和一个专业方向的实务。", "Passes the junior economist examination and knows economic basics and the practice of one specialism.", None),
    (6008, "P", "教师资格（幼儿园）", "Teacher qualification (kindergarten)", 6, "6", "TQ-KG",
     "取得幼儿园教师资格证书，具备保育教育和组织幼儿活动的能力。", "Holds the kindergarten teacher qualification and can care for, teach and organise activities for young children.", "RS-TQ-KG"),
    (6009, "P", "教师资格（小学）", "Teacher qualification (primary school)", 7, "6", "TQ-PRI",
     "取得小学教师资格证书，具备学科教学设计、实施和评价的能力。", "Holds the primary school teacher qualification and can plan, deliver and assess subject teaching.", "RS-TQ-PRI"),
    (6010, "P", "教师资格（初级中学）", "Teacher qualification (lower secondary school)", 7, "6", "TQ-JHS",
     "取得初级中学教师资格证书，具备学科教学和班级管理能力。", "Holds the lower secondary teacher qualification and can teach a subject and manage a class.", None),
    (6011, "P", "教师资格（高级中学）", "Teacher qualification (upper secondary school)", 7, "6", "TQ-SHS",
     "取得高级中学教师资格证书，具备学科教学和学生发展指导能力。", "Holds the upper secondary teacher qualification and can teach a subject and guide students' development.", None),
    (6012, "L", "导游资格", "Tour guide qualification", 5, "4", "TOUR-GUIDE",
     "通过全国导游资格考试，能规范地组织和讲解旅游活动。", "Passes the national tour guide examination and can organise tours and present sights properly.", "RS-TOUR-GUIDE"),
    (6013, "Q", "护士执业资格", "Registered nurse qualification", 6, "6", "NURSE-RN",
     "通过护士执业资格考试，能独立完成临床基础护理工作。", "Passes the nurse licensing examination and can do basic clinical nursing on their own.", "RS-NURSE-RN"),
    (6014, "S", "助理社会工作师", "Assistant social worker", 6, "5", "SW-ASSIST",
     "通过助理社会工作师职业资格考试，能运用个案、小组和社区工作方法提供服务。", "Passes the assistant social worker examination and can serve people with casework, group work and community work methods.", "RS-SW-ASSIST"),
    (6015, "S", "社会工作师", "Social worker", 7, "6", "SW-MID",
     "通过社会工作师职业资格考试，能策划、督导和评估社会工作服务项目。", "Passes the social worker examination and can plan, supervise and evaluate social work projects.", None),
    (6016, "I", "计算机技术与软件专业技术资格（初级·程序员）", "Computer software qualification (junior: programmer)", 6, "5", "RK-PROG",
     "通过计算机技术与软件专业技术资格（水平）考试程序员级别。", "Passes the computer technology and software professional examination at programmer level.", "RS-RK-PROG"),
    (6017, "I", "计算机技术与软件专业技术资格（中级·软件设计师）", "Computer software qualification (intermediate: software designer)", 7, "6", "RK-SD",
     "通过计算机技术与软件专业技术资格（水平）考试软件设计师级别，能完成软件的分析与设计。", "Passes the computer technology and software professional examination at software designer level and can analyse and design software.", "RS-RK-SD"),
    (6018, "I", "计算机技术与软件专业技术资格（中级·网络工程师）", "Computer software qualification (intermediate: network engineer)", 7, "6", "RK-NE",
     "通过计算机技术与软件专业技术资格（水平）考试网络工程师级别，能规划和管理计算机网络。", "Passes the computer technology and software professional examination at network engineer level and can plan and run computer networks.", "RS-RK-NE"),
    (6019, "I", "计算机技术与软件专业技术资格（高级·系统架构设计师）", "Computer software qualification (senior: system architect)", 8, "8", "RK-SA",
     "通过计算机技术与软件专业技术资格（水平）考试系统架构设计师级别。", "Passes the computer technology and software professional examination at system architect level.", None),
    (6020, "D", "特种作业操作证（低压电工作业）", "Special operations permit (low-voltage electrical work)", 3, "2", "SPO-LVE",
     "取得低压电工作业特种作业操作证，能安全地进行低压电气作业。", "Holds the special operations permit for low-voltage electrical work and works safely on low-voltage installations.", "RS-SPO-LVE"),
    (6021, "C", "特种作业操作证（焊接与热切割作业）", "Special operations permit (welding and thermal cutting)", 3, "2", "SPO-WELD",
     "取得焊接与热切割作业特种作业操作证，能安全地进行焊接和切割作业。", "Holds the special operations permit for welding and thermal cutting and welds and cuts safely.", None),
    (6022, "K", "房地产经纪人协理", "Assistant real estate agent", 5, "4", "RE-ASSIST",
     "取得房地产经纪人协理职业资格，能协助完成房地产交易的居间服务。", "Holds the assistant real estate agent qualification and can assist with brokerage in property transactions.", None),
    (6023, "S", "法律职业资格", "Legal professional qualification", 8, "8", "LAW-QUAL",
     "通过国家统一法律职业资格考试，取得法律职业资格证书。", "Passes the national unified legal professional examination and holds the certificate.", None),
]

# ---------------------------------------------------------------------------------------------
# Training recognised by hours. number, industry, zh, en, level, credits, criteria zh, en
TRAINING = [
    (8001, "L", "企业培训（岗位通用能力）", "Enterprise training (general workplace skills)", 3, "2",
     "参加企业组织的岗位培训不少于16学时并考核合格，掌握安全、规范和沟通等通用能力。", "Completes at least 16 hours of workplace training run by an employer and passes its assessment, covering safety, procedures and communication."),
    (8002, "L", "企业培训（岗位专业能力）", "Enterprise training (job-specific skills)", 4, "3",
     "参加企业组织的岗位专业培训不少于48学时并考核合格，能运用所学完成本岗位的专业任务。", "Completes at least 48 hours of job-specific training run by an employer, passes its assessment and applies it to the tasks of the job."),
    (8003, "P", "职业培训（通用）", "Vocational training (general)", 3, "2",
     "在登记的培训机构完成职业培训不少于16学时并考核合格。", "Completes at least 16 hours of vocational training at a registered training provider and passes its assessment."),
    (8004, "D", "建筑供配电运行维护（企业培训）", "Building power supply operation and maintenance (enterprise training)", 5, "5",
     "完成备案的建筑供配电运行维护企业培训项目不少于64学时并考核合格，能完成配电室巡检、倒闸操作和照明系统维护。", "Completes at least 64 hours of the registered enterprise programme in building power supply, passes its assessment, and can inspect switch rooms, perform switching operations and maintain lighting systems."),
    (8005, "C", "安全生产与职业健康培训", "Work safety and occupational health training", 3, "2",
     "完成安全生产与职业健康培训不少于24学时，能识别岗位危险源并正确使用防护用品。", "Completes at least 24 hours of work safety and occupational health training, recognises the hazards of the job and uses protective equipment correctly."),
]

# ---------------------------------------------------------------------------------------------
# Examination certificates. number, industry, zh, en, level, credits, certificate code,
# criteria zh, en, standard code, min_score, require_pass
EXAMS = [
    (1001, "I", "全国计算机等级考试一级", "NCRE level 1", 4, "2", "NCRE-1",
     "取得全国计算机等级考试一级合格证书，能熟练使用办公软件和互联网。", "Holds an NCRE level 1 certificate and uses office software and the internet with confidence.", "RS-NCRE-1", None, True),
    (1002, "I", "全国计算机等级考试二级", "NCRE level 2", 5, "3", "NCRE-2",
     "取得全国计算机等级考试二级合格证书（任一科目），能用一种程序设计语言或高级办公软件解决实际问题。", "Holds an NCRE level 2 certificate in any subject and solves practical problems with a programming language or advanced office software.", "RS-NCRE-2", None, True),
    (1003, "I", "全国计算机等级考试三级（网络技术）", "NCRE level 3 (network technology)", 6, "4", "NCRE-3-NET",
     "取得全国计算机等级考试三级网络技术合格证书，能配置和管理中小型网络。", "Holds an NCRE level 3 network technology certificate and can configure and run small and medium networks.", "RS-NCRE-3-NET", None, True),
    (1004, "I", "全国计算机等级考试三级（数据库技术）", "NCRE level 3 (database technology)", 6, "4", "NCRE-3-DB",
     "取得全国计算机等级考试三级数据库技术合格证书，能设计和维护数据库应用。", "Holds an NCRE level 3 database technology certificate and can design and maintain database applications.", "RS-NCRE-3-DB", None, True),
    (1005, "I", "全国计算机等级考试三级（信息安全技术）", "NCRE level 3 (information security technology)", 6, "4", "NCRE-3-SEC",
     "取得全国计算机等级考试三级信息安全技术合格证书，能实施基本的信息安全防护。", "Holds an NCRE level 3 information security certificate and can put basic information security protection in place.", "RS-NCRE-3-SEC", None, True),
    (1006, "I", "全国计算机等级考试四级（网络工程师）", "NCRE level 4 (network engineer)", 7, "5", "NCRE-4-NET",
     "取得全国计算机等级考试四级网络工程师合格证书，掌握计算机网络原理和网络工程方法。", "Holds an NCRE level 4 network engineer certificate and knows network principles and network engineering.", "RS-NCRE-4-NET", None, True),
    (1007, "I", "全国计算机等级考试四级（数据库工程师）", "NCRE level 4 (database engineer)", 7, "5", "NCRE-4-DB",
     "取得全国计算机等级考试四级数据库工程师合格证书，掌握数据库原理和数据库系统设计。", "Holds an NCRE level 4 database engineer certificate and knows database principles and database system design.", "RS-NCRE-4-DB", None, True),
    (1008, "I", "全国计算机等级考试四级（信息安全工程师）", "NCRE level 4 (information security engineer)", 7, "5", "NCRE-4-SEC",
     "取得全国计算机等级考试四级信息安全工程师合格证书，掌握操作系统、网络和信息安全原理。", "Holds an NCRE level 4 information security engineer certificate and knows operating system, network and security principles.", "RS-NCRE-4-SEC", None, True),
    (1009, "P", "大学英语四级", "College English Test band 4 (CET-4)", 6, "4", "CET-4",
     "大学英语四级考试总分不低于425分。", "Scores at least 425 in the College English Test band 4.", "RS-CET-4", 425, False),
    (1010, "P", "大学英语六级", "College English Test band 6 (CET-6)", 7, "4", "CET-6",
     "大学英语六级考试总分不低于425分。", "Scores at least 425 in the College English Test band 6.", "RS-CET-6", 425, False),
    (1011, "P", "上海外语口译证书（英语中级口译）", "Shanghai interpretation certificate (English, intermediate)", 6, "4", "SHIT-EN-INT",
     "取得上海外语口译证书考试英语中级口译证书，能完成一般场合的英汉交替传译。", "Holds the Shanghai intermediate English interpretation certificate and interprets consecutively between English and Chinese in everyday settings.", "RS-SHIT-EN-INT", None, True),
    (1012, "P", "上海外语口译证书（英语高级口译）", "Shanghai interpretation certificate (English, advanced)", 7, "5", "SHIT-EN-ADV",
     "取得上海外语口译证书考试英语高级口译证书，能胜任正式场合的英汉口译。", "Holds the Shanghai advanced English interpretation certificate and interprets between English and Chinese on formal occasions.", "RS-SHIT-EN-ADV", None, True),
    (1013, "P", "普通话水平测试二级甲等", "Putonghua proficiency test, grade 2A", 5, "2", "PSC",
     "普通话水平测试成绩不低于87分（二级甲等及以上）。", "Scores at least 87 in the Putonghua proficiency test (grade 2A or higher).", "RS-PSC-2A", 87, True),
    (1014, "P", "普通话水平测试一级乙等", "Putonghua proficiency test, grade 1B", 6, "3", "PSC",
     "普通话水平测试成绩不低于92分（一级乙等及以上）。", "Scores at least 92 in the Putonghua proficiency test (grade 1B or higher).", "RS-PSC-1B", 92, True),
]

# ---------------------------------------------------------------------------------------------
# Self-taught higher education examination courses (自学考试). number, industry, exam course
# code, zh, en, level, credits, what is shown (zh, en), standard published
SELF_STUDY = [
    (2001, "M", "00023", "高等数学（工本）", "Advanced Mathematics (engineering)", 7, "5",
     "能运用微积分、多元函数和级数解决工程问题", "uses calculus, functions of several variables and series to solve engineering problems"),
    (2002, "I", "02324", "离散数学", "Discrete Mathematics", 7, "4",
     "掌握集合、逻辑、图论和代数结构的基本方法", "handles sets, logic, graph theory and algebraic structures"),
    (2003, "I", "02331", "数据结构", "Data Structures", 7, "4",
     "能选择并实现合适的数据结构和算法", "chooses and implements suitable data structures and algorithms"),
    (2004, "I", "02326", "操作系统", "Operating Systems", 7, "4",
     "理解进程、存储、文件和设备管理的原理", "understands how processes, memory, files and devices are managed"),
    (2005, "I", "04741", "计算机网络原理", "Principles of Computer Networks", 7, "4",
     "理解网络体系结构和主要协议的工作原理", "understands network architecture and how the main protocols work"),
    (2006, "I", "04735", "数据库系统原理", "Principles of Database Systems", 7, "4",
     "能进行关系数据库设计并使用SQL", "designs relational databases and uses SQL"),
    (2007, "I", "02333", "软件工程", "Software Engineering", 7, "4",
     "掌握软件需求、设计、测试和项目管理的方法", "applies methods of requirements, design, testing and project management"),
    (2008, "I", "02318", "计算机组成原理", "Principles of Computer Organisation", 7, "4",
     "理解计算机各部件的组成和工作原理", "understands the parts of a computer and how they work together"),
    (2009, "I", "04747", "Java语言程序设计（一）", "Java Programming (1)", 7, "4",
     "能用Java编写面向对象的程序", "writes object-oriented programs in Java"),
    (2010, "P", "03708", "中国近现代史纲要", "Outline of Modern and Contemporary Chinese History", 7, "2",
     "理解中国近现代历史的基本脉络", "understands the main course of modern Chinese history"),
    (2011, "P", "03709", "马克思主义基本原理概论", "Basic Principles of Marxism", 7, "4",
     "理解马克思主义的基本观点和方法", "understands the basic views and methods of Marxism"),
    (2012, "S", "00277", "行政管理学", "Public Administration", 6, "4",
     "理解行政组织、行政决策和行政执行的基本理论", "understands the theory of administrative organisation, decision-making and implementation"),
    (2013, "L", "00107", "现代管理学", "Modern Management", 6, "4",
     "掌握计划、组织、领导和控制等管理职能", "applies the management functions of planning, organising, leading and controlling"),
    (2014, "S", "00341", "公文写作与处理", "Official Document Writing and Handling", 6, "4",
     "能规范撰写和处理常用公文", "writes and handles common official documents correctly"),
    (2015, "S", "00312", "政治学概论", "Introduction to Political Science", 6, "4",
     "理解国家、政府和政治参与的基本理论", "understands the basic theory of the state, government and political participation"),
    (2016, "S", "00040", "法学概论", "Introduction to Law", 6, "4",
     "了解我国法律体系和主要部门法的基本内容", "knows the Chinese legal system and the main branches of law"),
    (2017, "P", "12656", "毛泽东思想和中国特色社会主义理论体系概论", "Introduction to Mao Zedong Thought and the Theory of Socialism with Chinese Characteristics", 6, "4",
     "理解中国化马克思主义理论成果的主要内容", "understands the main content of Chinese adaptations of Marxist theory"),
]
# Self-study courses with a published recognition standard.
SELF_STUDY_STANDARDS = {"00023", "02324", "02331", "02326", "04741", "04735", "02333", "02318",
                        "04747", "03708", "00277", "00107", "00341", "00312", "12656"}

# ---------------------------------------------------------------------------------------------
# Course units: credits of a course in any programme, placed here by a reviewer or by an
# institution's standard. number, industry, zh, en, level, credits, what is shown (zh, en)
COURSES = [
    (3001, "M", "高等数学（专科）", "Advanced Mathematics (associate level)", 6, "4",
     "能运用一元微积分解决专业中的简单计算问题", "uses single-variable calculus for the simple calculations of a specialism"),
    (3002, "M", "线性代数", "Linear Algebra", 7, "3",
     "能运用矩阵、向量和线性方程组的方法", "works with matrices, vectors and systems of linear equations"),
    (3003, "M", "概率论与数理统计", "Probability and Statistics", 7, "3",
     "能建立简单的概率模型并进行统计推断", "builds simple probability models and draws statistical inferences"),
    (3004, "P", "大学英语（基础）", "College English (foundation)", 5, "4",
     "能进行日常英语听说读写交流", "listens, speaks, reads and writes English in everyday situations"),
    (3005, "I", "计算机应用基础", "Computer Applications", 5, "3",
     "能熟练使用操作系统、办公软件和网络工具", "uses an operating system, office software and internet tools with confidence"),
    (3006, "I", "C语言程序设计", "C Programming", 6, "4",
     "能用C语言编写结构化程序", "writes structured programs in C"),
    (3007, "I", "Python程序设计", "Python Programming", 6, "3",
     "能用Python完成数据处理和简单应用开发", "uses Python for data handling and simple applications"),
    (3008, "L", "管理学原理", "Principles of Management", 6, "3",
     "理解管理的基本职能并能分析简单的管理案例", "understands the functions of management and analyses simple management cases"),
    (3009, "L", "会计学基础", "Fundamentals of Accounting", 6, "3",
     "能完成会计凭证、账簿和报表的基础处理", "prepares vouchers, ledgers and basic financial statements"),
    (3010, "J", "经济学基础", "Fundamentals of Economics", 6, "3",
     "能运用供求、市场和宏观经济的基本概念分析问题", "uses the basic ideas of supply and demand, markets and the macro-economy to analyse problems"),
    (3011, "M", "统计学原理", "Principles of Statistics", 6, "3",
     "能进行数据收集、整理和描述性统计分析", "collects, organises and describes data statistically"),
    (3012, "F", "市场营销学", "Marketing", 6, "3",
     "能进行市场分析并制订简单的营销方案", "analyses a market and drafts a simple marketing plan"),
    (3013, "L", "财务管理", "Financial Management", 7, "3",
     "能进行筹资、投资和营运资金的分析与决策", "analyses and decides on financing, investment and working capital"),
    (3014, "S", "经济法", "Economic Law", 6, "3",
     "了解公司、合同和市场管理的主要法律规定", "knows the main legal rules on companies, contracts and market regulation"),
    (3015, "I", "管理信息系统", "Management Information Systems", 7, "3",
     "能分析和规划组织的信息系统", "analyses and plans an organisation's information systems"),
    (3016, "L", "人力资源管理", "Human Resource Management", 6, "3",
     "掌握招聘、培训、绩效和薪酬管理的基本方法", "applies the basic methods of recruitment, training, performance and pay"),
    (3017, "L", "公共关系学", "Public Relations", 6, "3",
     "能策划和实施简单的公共关系活动", "plans and runs simple public relations activities"),
    (3018, "P", "大学语文", "College Chinese", 5, "2",
     "能阅读和赏析经典作品并进行规范写作", "reads and appreciates classic texts and writes correctly"),
    (3019, "P", "应用文写作", "Practical Writing", 5, "3",
     "能撰写通知、报告、计划和总结等常用应用文", "writes common practical texts such as notices, reports, plans and summaries"),
    (3020, "P", "思想道德与法治", "Ethics and the Rule of Law", 5, "3",
     "理解公民道德和法治的基本要求", "understands what civic ethics and the rule of law require"),
    (3021, "P", "心理学基础", "Foundations of Psychology", 6, "2",
     "理解认知、情绪和人格的基本心理规律", "understands the basics of cognition, emotion and personality"),
    (3022, "P", "学前教育学", "Early Childhood Education", 6, "3",
     "理解学前儿童发展特点并能设计教育活动", "understands how young children develop and designs learning activities for them"),
    (3023, "P", "教育学原理", "Principles of Education", 7, "3",
     "能运用教育学原理分析教育现象", "uses educational theory to analyse educational practice"),
    (3024, "Q", "护理学基础", "Fundamentals of Nursing", 6, "4",
     "掌握基础护理操作和护理程序", "performs basic nursing procedures and follows the nursing process"),
    (3025, "C", "机械制图", "Mechanical Drawing", 5, "4",
     "能识读和绘制零件图与装配图", "reads and draws part and assembly drawings"),
    (3026, "D", "电工电子技术", "Electrical and Electronic Technology", 5, "4",
     "能分析基本电路并使用常用电工电子仪表", "analyses basic circuits and uses common electrical and electronic instruments"),
    (3027, "E", "工程力学", "Engineering Mechanics", 6, "4",
     "能进行构件的受力分析和强度计算", "analyses forces on structural members and checks their strength"),
    (3028, "E", "建筑构造", "Building Construction", 6, "3",
     "能识读建筑构造图并理解常见构造做法", "reads construction drawings and understands common building details"),
    (3029, "R", "中国传统文化概论", "Introduction to Traditional Chinese Culture", 6, "2",
     "理解中国传统思想、艺术和礼俗的基本内容", "understands the basics of traditional Chinese thought, arts and customs"),
    (3030, "I", "数据库应用技术", "Database Application Technology", 6, "4",
     "能建立数据库并开发简单的数据库应用", "builds a database and develops simple database applications"),
]

# ---------------------------------------------------------------------------------------------
# Culture and leisure (文化休闲). number, industry, zh, en, level, credits, criteria zh, en
LEISURE = [
    (1, "P", "社区教育课程学习（通用）", "Community school course (general)", 2, "1",
     "在社区学校完成登记在册的课程学习，出勤达到课程要求。", "Completes a registered course at a community school with the required attendance."),
    (2, "P", "老年教育课程学习（通用）", "Elderly-university course (general)", 2, "1",
     "在老年大学或老年学校完成一学期课程，出勤达到课程要求。", "Completes a term's course at an elderly university or school with the required attendance."),
    (3, "P", "在线课程学习（通用）", "Online course (general)", 2, "1",
     "在认证的学习平台完成在线课程并通过随堂测验。", "Completes an online course on a certified learning platform and passes its quizzes."),
    (4, "R", "人文行走与体验学习", "Heritage walks and experiential learning", 1, "1",
     "按路线完成人文行走或体验基地学习，并提交一份学习记录。", "Completes a heritage walk or a visit to an experience base along its route and hands in a learning record."),
    (5, "R", "学习团队活动", "Learning team activities", 2, "1",
     "作为成员参加学习团队一年的常规活动，出勤不少于三分之二。", "Takes part as a member in a year of a learning team's regular activities, attending at least two thirds."),
    (11, "R", "书法（楷书入门）", "Calligraphy (regular script, beginners)", 2, "1",
     "能正确执笔运笔，用楷书工整地书写一幅小品。", "Holds and moves the brush correctly and writes a small piece neatly in regular script."),
    (12, "R", "书法（行书进阶）", "Calligraphy (running script, intermediate)", 3, "1.5",
     "能临摹行书名帖，并独立完成一幅行书作品。", "Copies a classic running-script model and writes a complete running-script piece."),
    (13, "R", "国画（花鸟入门）", "Chinese painting (flowers and birds, beginners)", 2, "1",
     "掌握基本笔墨技法，完成一幅写意花鸟小品。", "Uses basic brush and ink techniques to paint a small freehand flower-and-bird piece."),
    (14, "R", "国画（山水进阶）", "Chinese painting (landscape, intermediate)", 3, "1.5",
     "能运用皴擦点染完成一幅构图完整的山水画。", "Paints a well-composed landscape using texture strokes, dotting and washes."),
    (15, "R", "素描与速写基础", "Sketching and drawing basics", 2, "1",
     "能用线条和明暗表现静物或街景。", "Renders a still life or a street scene with line and shading."),
    (16, "R", "水彩画基础", "Watercolour basics", 2, "1",
     "掌握湿画和干画技法，完成一幅水彩风景。", "Uses wet and dry techniques to paint a watercolour landscape."),
    (17, "R", "太极拳（二十四式）", "Tai chi (24 forms)", 2, "1",
     "能完整、规范地演练二十四式太极拳。", "Performs the 24-form tai chi sequence completely and correctly."),
    (18, "R", "太极拳（四十二式）", "Tai chi (42 forms)", 3, "1.5",
     "能完整演练四十二式太极拳，动作连贯、呼吸协调。", "Performs the 42-form sequence completely, with flowing movement and coordinated breathing."),
    (19, "R", "健身气功·八段锦", "Qigong: Baduanjin", 1, "0.5",
     "能完整演练八段锦并说出各式的健身要点。", "Performs the eight Baduanjin movements and names what each one exercises."),
    (20, "R", "健身气功·易筋经", "Qigong: Yijinjing", 2, "1",
     "能完整、规范地演练易筋经十二势。", "Performs the twelve Yijinjing postures completely and correctly."),
    (21, "R", "广场舞", "Square dancing", 1, "0.5",
     "能跟随音乐完成三支以上广场舞套路。", "Dances at least three square-dance routines to music."),
    (22, "R", "交谊舞", "Ballroom dancing", 2, "1",
     "掌握慢三、慢四等常见舞种的基本步法并与舞伴配合。", "Dances the basic steps of common ballroom dances such as the slow waltz and foxtrot with a partner."),
    (23, "R", "民族舞", "Chinese folk dance", 2, "1",
     "能完成一段民族舞组合，体现该舞种的风格特点。", "Performs a folk dance combination that shows the style of the dance."),
    (24, "R", "合唱（基础）", "Choir (foundation)", 2, "1",
     "能识读简谱，在声部中准确演唱两首合唱曲目。", "Reads numbered notation and sings two choral pieces accurately in their part."),
    (25, "R", "合唱（声部训练进阶）", "Choir (part singing, intermediate)", 3, "1.5",
     "能在多声部合唱中保持音准和声部平衡，并参加一次展演。", "Keeps pitch and balance in multi-part singing and performs in one concert."),
    (26, "R", "声乐演唱", "Solo singing", 2, "1",
     "掌握正确的发声和呼吸方法，独唱一首歌曲。", "Sings a song solo with correct breathing and voice production."),
    (27, "R", "钢琴（电钢琴）入门", "Piano (digital piano) for beginners", 2, "1",
     "能双手弹奏简单的乐曲。", "Plays simple pieces with both hands."),
    (28, "R", "古筝", "Guzheng", 2, "1",
     "掌握古筝基本指法，完整弹奏两首乐曲。", "Uses the basic guzheng fingerings to play two pieces through."),
    (29, "R", "二胡", "Erhu", 2, "1",
     "掌握二胡的基本弓法和指法，完整演奏一首乐曲。", "Uses the basic erhu bowing and fingering to play a piece through."),
    (30, "R", "葫芦丝", "Hulusi", 1, "0.5",
     "能用葫芦丝吹奏一首简单乐曲。", "Plays a simple tune on the hulusi."),
    (31, "R", "沪剧欣赏与演唱", "Huju opera: listening and singing", 2, "1",
     "了解沪剧的主要流派，能演唱一段经典唱段。", "Knows the main schools of Shanghai opera and sings one classic aria."),
    (32, "R", "越剧欣赏与演唱", "Yue opera: listening and singing", 2, "1",
     "了解越剧的主要流派，能演唱一段经典唱段。", "Knows the main schools of Yue opera and sings one classic aria."),
    (33, "R", "京剧欣赏与演唱", "Peking opera: listening and singing", 2, "1",
     "了解京剧的行当和唱腔，能演唱一段经典唱段。", "Knows the role types and vocal styles of Peking opera and sings one classic aria."),
    (34, "R", "数码摄影基础", "Digital photography basics", 2, "1",
     "能正确使用相机的曝光和对焦功能，提交一组主题照片。", "Uses a camera's exposure and focus controls correctly and hands in a themed set of photographs."),
    (35, "R", "摄影创作（人像与风光）", "Photography (portrait and landscape)", 3, "1.5",
     "能运用构图和用光完成人像或风光摄影作品集。", "Uses composition and light to produce a portfolio of portraits or landscapes."),
    (36, "I", "手机摄影与修图", "Phone photography and editing", 2, "1",
     "能用手机拍摄构图合理的照片，并用常用软件修图。", "Takes well-composed photographs with a phone and edits them in common apps."),
    (37, "I", "短视频拍摄与剪辑", "Short video shooting and editing", 3, "1.5",
     "能策划、拍摄并剪辑一条完整的短视频。", "Plans, shoots and edits a complete short video."),
    (38, "I", "智能手机应用（入门）", "Using a smartphone (beginners)", 1, "0.5",
     "能用智能手机打电话、收发消息、视频通话和拍照。", "Uses a smartphone to call, send messages, make video calls and take photos."),
    (39, "I", "智能手机应用（出行、就医与支付）", "Using a smartphone for transport, health care and payment", 2, "1",
     "能用手机预约挂号、乘车出行、扫码支付和使用政务服务。", "Uses a phone to book hospital appointments, travel, pay by QR code and use government services."),
    (40, "I", "防范电信网络诈骗", "Staying safe from phone and online fraud", 1, "0.5",
     "能识别常见的电信网络诈骗手法并知道如何求助。", "Recognises common phone and online scams and knows where to get help."),
    (41, "I", "电脑与上网基础", "Computer and internet basics", 2, "1",
     "能使用电脑上网、收发电子邮件和管理文件。", "Uses a computer to go online, send and receive e-mail and manage files."),
    (42, "I", "人工智能工具应用", "Using AI tools in daily life", 3, "1.5",
     "能用人工智能工具完成查询、写作或制图，并判断其结果是否可靠。", "Uses AI tools to search, write or draw, and judges whether their output can be trusted."),
    (43, "P", "沪语（日常会话）", "Shanghainese (everyday conversation)", 1, "0.5",
     "能用沪语进行问候、购物和问路等日常交流。", "Greets, shops and asks the way in Shanghainese."),
    (44, "R", "沪语与海派童谣", "Shanghainese through nursery rhymes", 2, "1",
     "能用沪语诵读和讲解五首以上海派童谣。", "Recites and explains at least five Shanghai nursery rhymes in Shanghainese."),
    (45, "R", "茶文化与茶艺欣赏", "Tea culture and appreciation", 2, "1",
     "能识别六大茶类并按礼仪冲泡和奉茶。", "Tells the six kinds of tea apart and brews and serves tea with the proper etiquette."),
    (46, "R", "插花艺术", "Flower arranging", 2, "1",
     "能运用东方插花的基本造型完成一件作品。", "Makes an arrangement using the basic forms of oriental flower arranging."),
    (47, "R", "剪纸", "Paper cutting", 2, "1",
     "能完成一幅对称和一幅团花剪纸作品。", "Makes one symmetrical and one circular paper-cut."),
    (48, "O", "编织与布艺", "Knitting and needlework", 2, "1",
     "能用棒针或钩针完成一件小型编织或布艺作品。", "Knits or crochets a small item, or makes a small piece of needlework."),
    (49, "R", "陶艺", "Pottery", 2, "1",
     "能用手捏或拉坯完成一件陶艺作品。", "Makes a piece of pottery by hand-building or on the wheel."),
    (50, "R", "篆刻", "Seal carving", 3, "1.5",
     "能设计印稿并刻制一方姓名印。", "Designs and carves a name seal."),
    (51, "R", "书画装裱", "Mounting calligraphy and paintings", 3, "1.5",
     "能完成一幅书画作品的托裱。", "Backs and mounts a calligraphy or painting."),
    (52, "R", "海派文化与上海城市史", "Shanghai-style culture and the city's history", 2, "1",
     "能讲述上海城市发展的主要阶段和代表性的海派文化现象。", "Describes the main stages of Shanghai's growth and typical features of its culture."),
    (53, "R", "红色文化人文行走", "Red heritage walks", 2, "1",
     "完成一条红色文化人文行走路线，并能讲解沿途的主要史迹。", "Completes a red heritage walk and explains the main historic sites along it."),
    (54, "R", "诗词鉴赏", "Appreciating classical poetry", 3, "1.5",
     "能赏析古典诗词的意境和格律，并写出赏析短文。", "Appreciates the imagery and metre of classical poems and writes a short appreciation."),
    (55, "R", "回忆录与生活写作", "Memoir and life writing", 3, "1.5",
     "能完成一篇结构完整的回忆录或生活散文。", "Writes a well-structured memoir or personal essay."),
    (56, "R", "朗诵与主持", "Recitation and presenting", 2, "1",
     "能有感情地朗诵作品并主持一次小型活动。", "Recites a piece with expression and hosts a small event."),
    (57, "P", "英语（旅游口语）", "English for travel", 2, "1",
     "能用英语处理出行、住宿、用餐和问路等场景。", "Handles travel, hotels, meals and directions in English."),
    (58, "P", "日语（入门）", "Japanese for beginners", 2, "1",
     "掌握五十音图并能进行简单的日语问候和自我介绍。", "Knows the kana syllabary and greets and introduces themselves in Japanese."),
    (59, "Q", "中医养生保健", "Traditional Chinese health care", 2, "1",
     "了解中医养生的基本理念，能按季节安排起居和饮食。", "Knows the basic ideas of traditional Chinese health care and plans daily life and diet by the season."),
    (60, "Q", "营养与膳食", "Nutrition and a healthy diet", 2, "1",
     "能按膳食指南为自己或家人搭配一日三餐。", "Plans a day's meals for themselves or their family by the dietary guidelines."),
    (61, "Q", "心理健康与情绪调适", "Mental health and managing emotions", 2, "1",
     "能识别常见的情绪困扰并运用简单的调适方法。", "Recognises common emotional difficulties and uses simple ways of coping."),
    (62, "Q", "家庭急救与应急救护", "First aid at home", 2, "1",
     "能进行心肺复苏、海姆立克急救和常见外伤的初步处理。", "Performs CPR, the Heimlich manoeuvre and first treatment of common injuries."),
    (63, "Q", "慢性病自我管理", "Self-management of chronic conditions", 2, "1",
     "能监测血压、血糖等指标，并按医嘱管理自己的慢性病。", "Monitors blood pressure and blood sugar and manages their own condition as the doctor advises."),
    (64, "A", "园艺与阳台种植", "Gardening and balcony growing", 2, "1",
     "能在阳台或庭院种植并养护花卉和蔬菜。", "Grows and tends flowers and vegetables on a balcony or in a yard."),
    (65, "O", "家庭烘焙", "Home baking", 2, "1",
     "能独立制作面包和两种以上蛋糕或饼干。", "Bakes bread and at least two kinds of cake or biscuit on their own."),
    (66, "O", "家常菜烹饪", "Home cooking", 2, "1",
     "能烹制荤素搭配、营养合理的家常菜。", "Cooks balanced home-style dishes of meat and vegetables."),
    (67, "O", "服装裁剪与缝纫", "Dressmaking", 2, "1",
     "能量体、裁剪并缝制一件简单服装。", "Takes measurements, cuts and sews a simple garment."),
    (68, "S", "老年人权益保障与法律常识", "Legal rights of older people", 2, "1",
     "了解赡养、继承和消费等方面的法律常识，知道维权途径。", "Knows the law on family support, inheritance and consumer rights and how to defend their rights."),
    (69, "J", "家庭理财常识", "Managing household money", 2, "1",
     "能制订家庭收支计划并识别非法集资和理财陷阱。", "Draws up a household budget and recognises illegal fund-raising and investment traps."),
    (70, "P", "家庭教育与隔代养育", "Family education and grandparenting", 2, "1",
     "了解儿童成长规律，能与子女协作开展隔代养育。", "Understands how children grow up and works with their own children on bringing up grandchildren."),
    (71, "N", "垃圾分类与低碳生活", "Waste sorting and low-carbon living", 1, "0.5",
     "能正确进行生活垃圾分类并践行节能低碳的生活方式。", "Sorts household waste correctly and lives in an energy-saving, low-carbon way."),
    (72, "R", "围棋", "Go (weiqi)", 2, "1",
     "掌握围棋规则和基本定式，能完成完整对局。", "Knows the rules and basic joseki of Go and plays complete games."),
    (73, "R", "中国象棋", "Chinese chess", 2, "1",
     "掌握象棋规则和基本杀法，能完成完整对局。", "Knows the rules and basic mating patterns of Chinese chess and plays complete games."),
    (74, "R", "桥牌", "Contract bridge", 3, "1.5",
     "掌握叫牌体系和基本打牌技巧，能参加复式比赛。", "Uses a bidding system and the basic techniques of play and takes part in duplicate games."),
    (75, "R", "瑜伽", "Yoga", 2, "1",
     "能安全、规范地完成一套基础瑜伽体式。", "Performs a sequence of basic yoga postures safely and correctly."),
    (76, "R", "乒乓球", "Table tennis", 2, "1",
     "掌握发球、推挡和攻球等基本技术。", "Uses the basic table tennis strokes: serve, block and attack."),
    (77, "R", "门球与柔力球", "Gateball and soft-ball", 1, "0.5",
     "掌握门球或柔力球的规则和基本技术，参加一次比赛。", "Knows the rules and basic technique of gateball or soft-ball and plays in a match."),
    (78, "R", "模特与形体训练", "Posture and modelling", 2, "1",
     "能保持良好体态并完成一段走秀表演。", "Keeps good posture and performs a catwalk routine."),
    (79, "O", "志愿服务技能", "Volunteering skills", 2, "1",
     "完成志愿服务培训并参加志愿服务不少于20小时。", "Completes volunteer training and volunteers for at least 20 hours."),
]
LEISURE_CODE = {n: "U-L-%s-%04d" % (ind, n) for (n, ind, *_rest) in LEISURE}

# ---------------------------------------------------------------------------------------------
# Leisure standards by the city's shared course catalogue code (course_code with no source: any
# school teaching that catalogue course). The generic hour-based standards below match the same
# outcomes; the engine takes the standard granting most credits and, on a tie, the lower code, so
# these are coded RS-CAT-… (sorting before RS-COMM-/RS-ELD-/RS-ONLINE-) and their units are worth
# at least the generic units' 1 credit. code, title zh, en, leisure unit number, kinds,
# catalogue course code, min hours
LEISURE_STANDARDS = [
    ("RS-CAT-SF-101", "老年教育统编课程“书法（楷书入门）”学时认定", "Elderly-education catalogue course “Calligraphy (regular script)”: hours", 11,
     ["elderly_course", "community_course"], "SHLE-SF-101", 16),
    ("RS-CAT-TJ-124", "老年教育统编课程“太极拳（二十四式）”学时认定", "Elderly-education catalogue course “Tai chi (24 forms)”: hours", 17,
     ["elderly_course", "community_course"], "SHLE-TJ-124", 16),
    ("RS-CAT-SJ-201", "社区教育统编课程“智能手机应用（出行、就医与支付）”学时认定", "Community catalogue course “Using a smartphone”: hours", 39,
     ["community_course", "elderly_course"], "SHCE-SJ-201", 8),
    ("RS-CAT-HY-201", "社区教育统编课程“沪语与海派童谣”学时认定", "Community catalogue course “Shanghainese through nursery rhymes”: hours", 44,
     ["community_course", "elderly_course"], "SHCE-HY-201", 16),
]


def unit_block(code, zh, en, level, credits, category, industry, crit_zh, crit_en):
    return "\n".join([
        "[[units]]",
        "code = %s" % s(code),
        "title = %s" % t2(zh, en),
        "level = %d" % level,
        "credits = %s" % s(credits),
        "category = %s" % s(category),
        "industry = %s" % s(industry),
        "criteria = %s" % t2(crit_zh, crit_en),
        'owner = "bank"',
        "window = { from = %s }" % FROM,
    ])


def build_units():
    out = []
    out.append("# Skill certificates (职业技能等级证书): one unit per occupation and certificate level.")
    for seq, (key, occ, zh, en, ind, top, bottom, task_zh, task_en, _std) in enumerate(OCCUPATIONS, 1):
        for cl in range(bottom, top - 1, -1):
            level, credits, lz, le, cz, ce = SKILL_LEVELS[cl]
            crit_zh = "取得%s（%s）职业技能等级证书或通过同等的技能评价，能%s。" % (zh, lz.split("/")[0], cz.format(task=task_zh))
            crit_en = "Holds the %s skill certificate at %s or passes an equivalent assessment, and %s." % (en, le.split(",")[0], ce.format(task=task_en))
            out.append(unit_block(skill_unit_code(seq, ind, cl), "%s（%s）" % (zh, lz), "%s (%s)" % (en, le),
                                  level, credits, "vocational", ind, crit_zh, crit_en))
    out.append("# Vocational and professional qualifications (职业资格, 专业技术资格).")
    for (n, ind, zh, en, level, credits, _cert, cz, ce, _std) in QUALIFICATIONS:
        out.append(unit_block("U-V-%s-%04d" % (ind, n), zh, en, level, credits, "vocational", ind, cz, ce))
    out.append("# Training recognised by study hours.")
    for (n, ind, zh, en, level, credits, cz, ce) in TRAINING:
        out.append(unit_block("U-V-%s-%04d" % (ind, n), zh, en, level, credits, "vocational", ind, cz, ce))
    out.append("# Examination certificates (计算机、外语、普通话).")
    for (n, ind, zh, en, level, credits, _cert, cz, ce, *_rest) in EXAMS:
        out.append(unit_block("U-A-%s-%04d" % (ind, n), zh, en, level, credits, "academic", ind, cz, ce))
    out.append("# Self-taught higher education examination courses (高等教育自学考试).")
    for (n, ind, course, zh, en, level, credits, wz, we) in SELF_STUDY:
        out.append(unit_block("U-A-%s-%04d" % (ind, n), "%s（自考%s）" % (zh, course), "%s (self-study exam %s)" % (en, course),
                              level, credits, "academic", ind,
                              "通过高等教育自学考试%s（课程代码%s），%s。" % (zh, course, wz),
                              "Passes the self-taught higher education examination in %s (course %s) and %s." % (en, course, we)))
    out.append("# Course units: credits of a course in any programme.")
    for (n, ind, zh, en, level, credits, wz, we) in COURSES:
        out.append(unit_block("U-A-%s-%04d" % (ind, n), zh, en, level, credits, "academic", ind,
                              "修读%s课程并考核合格，%s。" % (zh, wz),
                              "Passes a course in %s and %s." % (en, we)))
    out.append("# Culture and leisure (文化休闲): never converted into academic credits (R11).")
    for (n, ind, zh, en, level, credits, cz, ce) in LEISURE:
        out.append(unit_block(LEISURE_CODE[n], zh, en, level, credits, "leisure", ind, cz, ce))
    return out


def standard_block(code, zh, en, unit_code, criteria, basis="unit", version=None, status=None):
    """A standard without its window line (added by the caller)."""
    lines = ["[[standards]]", "code = %s" % s(code)]
    if version is not None:
        lines.append("version = %d" % version)
    lines += ["title = %s" % t2(zh, en), "unit_code = %s" % s(unit_code)]
    parts = []
    for key, value in criteria:
        if isinstance(value, bool):
            parts.append("%s = %s" % (key, "true" if value else "false"))
        elif isinstance(value, list):
            parts.append("%s = [%s]" % (key, ", ".join(s(v) for v in value)))
        elif isinstance(value, int):
            parts.append("%s = %d" % (key, value))
        else:
            parts.append("%s = %s" % (key, s(value)))
    lines.append("criteria = { %s }" % ", ".join(parts))
    lines.append("basis = %s" % s(basis))
    if status:
        lines.append("status = %s" % s(status))
    return lines


def build_standards():
    out = []

    def add(lines, window_from=FROM, window_until=None):
        if window_until:
            lines.append("window = { from = %s, until = %s }" % (window_from, window_until))
        else:
            lines.append("window = { from = %s }" % window_from)
        out.append("\n".join(lines))

    out.append("# Skill certificates: the certificate's occupation code and level (1 is the highest).\n"
               "# A certificate matches the standards of its own level and every level below; the\n"
               "# one granting the most credits wins, i.e. its own level. Old national vocational\n"
               "# qualification certificates (职业资格证书) of the same occupation count the same.")
    for seq, (key, occ, zh, en, ind, top, bottom, _tz, _te, std) in enumerate(OCCUPATIONS, 1):
        if not std:
            continue
        for cl in range(bottom, top - 1, -1):
            _level, _credits, lz, le, *_ = SKILL_LEVELS[cl]
            add(standard_block(
                "RS-%s-%d" % (key, cl),
                "%s职业技能等级证书（%s及以上）" % (zh, lz.split("/")[0]),
                "%s skill certificate, %s or higher" % (en, le.split(",")[0]),
                skill_unit_code(seq, ind, cl),
                [("kinds", ["skill_certificate", "vocational_certificate"]), ("certificate_code", occ),
                 ("certificate_level_at_least", cl)]))

    out.append("# Vocational and professional qualifications.")
    for (n, ind, zh, en, _level, _credits, cert, _cz, _ce, std) in QUALIFICATIONS:
        if std:
            add(standard_block(std, "%s证书认定" % zh, "%s certificate" % en, "U-V-%s-%04d" % (ind, n),
                               [("kinds", ["vocational_certificate"]), ("certificate_code", cert)]))

    out.append("# Examination certificates (outcome kind exam_certificate); the certificate code\n"
               "# decides. CET reports a score out of 710 and has no pass mark: the score decides\n"
               "# and `require_pass` is off.")
    for (n, ind, zh, en, _level, _credits, cert, _cz, _ce, std, min_score, require_pass) in EXAMS:
        crit = [("kinds", ["exam_certificate"]), ("certificate_code", cert)]
        if min_score is not None:
            crit.append(("min_score", min_score))
        if not require_pass:
            crit.append(("require_pass", False))
        add(standard_block(std, "%s认定" % zh, en, "U-A-%s-%04d" % (ind, n), crit))

    out.append("# Self-taught higher education examinations: the exam course code and a pass.")
    for (n, ind, course, zh, en, *_rest) in SELF_STUDY:
        if course in SELF_STUDY_STANDARDS:
            add(standard_block("RS-ZK-%s" % course, "自学考试课程“%s”（%s）合格认定" % (zh, course),
                               "Self-study examination pass: %s (%s)" % (en, course), "U-A-%s-%04d" % (ind, n),
                               [("kinds", ["self_study_exam"]), ("course_code", course)]))

    out.append("# Community, elderly-university and online courses: recognised by study hours\n"
               "# (16 hours = 1 credit, at most the unit's value).")
    add(standard_block("RS-COMM-GEN", "社区教育课程学时认定", "Community school courses: hours", LEISURE_CODE[1],
                       [("kinds", ["community_course"]), ("min_hours", 8)], basis="hours"))
    # The one standard with two versions: from 2026 an elderly-university course counts from 12
    # hours (a short term) instead of 16.
    add(standard_block("RS-ELD-GEN", "老年教育课程学时认定", "Elderly-university courses: hours", LEISURE_CODE[2],
                       [("kinds", ["elderly_course"]), ("min_hours", 16)], basis="hours", version=1, status="superseded"),
        window_until="2025-12-31")
    add(standard_block("RS-ELD-GEN", "老年教育课程学时认定（2026年修订）", "Elderly-university courses: hours (2026 revision)", LEISURE_CODE[2],
                       [("kinds", ["elderly_course"]), ("min_hours", 12)], basis="hours", version=2),
        window_from="2026-01-01")
    add(standard_block("RS-ONLINE-GEN", "在线课程学时认定", "Online courses: hours", LEISURE_CODE[3],
                       [("kinds", ["online_course"]), ("min_hours", 4)], basis="hours"))
    add(standard_block("RS-WALK", "人文行走与体验学习认定", "Heritage walks and experience bases", LEISURE_CODE[4],
                       [("kinds", ["activity"]), ("min_hours", 4)], basis="hours"))
    add(standard_block("RS-VOL", "志愿服务认定", "Volunteering", LEISURE_CODE[79],
                       [("kinds", ["volunteering"]), ("min_hours", 20)], basis="unit"))
    for (code, zh, en, n, kinds, course, hours) in LEISURE_STANDARDS:
        add(standard_block(code, zh, en, LEISURE_CODE[n],
                           [("kinds", kinds), ("course_code", course), ("min_hours", hours)], basis="hours"))

    out.append("# Training recognised by hours.")
    add(standard_block("RS-ENT-BASIC", "企业培训学时认定（通用能力）", "Enterprise training: hours (general skills)", "U-V-L-8001",
                       [("kinds", ["enterprise_training"]), ("min_hours", 16)], basis="hours"))
    add(standard_block("RS-ENT-EXT", "企业培训学时认定（专业能力）", "Enterprise training: hours (job-specific skills)", "U-V-L-8002",
                       [("kinds", ["enterprise_training"]), ("min_hours", 48)], basis="hours"))
    add(standard_block("RS-TRN-GEN", "职业培训学时认定", "Vocational training: hours", "U-V-P-8003",
                       [("kinds", ["training"]), ("min_hours", 16)], basis="hours"))
    add(standard_block("RS-ENT-GPD", "备案企业培训项目“建筑供配电运行维护”认定", "Registered enterprise programme “Building power supply”", "U-V-D-8004",
                       [("kinds", ["enterprise_training", "training"]), ("course_code", "EPT-D-0107"), ("min_hours", 64)], basis="hours"))

    out.append("# Course credits of the two demo institutions: the credits they awarded, up to the\n"
               "# unit's value.")
    add(standard_block("RS-SOU-30021", "上海开放大学“计算机应用基础”课程学分认定", "Shanghai Open University: Computer Applications", "U-A-I-3005",
                       [("kinds", ["course_credit"]), ("course_code", "SOU-30021"), ("source", OPEN_UNIVERSITY)],
                       basis="deposited"))
    add(standard_block("RS-SOU-01888", "上海开放大学“高等数学基础”课程学分认定", "Shanghai Open University: Foundation Mathematics", "U-A-M-3001",
                       [("kinds", ["course_credit"]), ("course_code", "SOU-01888"), ("source", OPEN_UNIVERSITY)],
                       basis="deposited"))
    add(standard_block("RS-CJ-GE-106", "浦江城建职业技术学院“应用文写作”课程学分认定", "Pujiang college: Practical Writing", "U-A-P-3019",
                       [("kinds", ["course_credit"]), ("course_code", "CJ-GE-106"), ("source", COLLEGE)],
                       basis="deposited"))
    add(standard_block("RS-CJ-EE-202", "浦江城建职业技术学院“电子技术”课程学分认定", "Pujiang college: Electronic Technology", "U-A-D-3026",
                       [("kinds", ["course_credit"]), ("course_code", "CJ-EE-202"), ("source", COLLEGE)],
                       basis="deposited"))
    return out


HEADER_UNITS = """# Demo accreditation units (认证单元, R13). GENERATED by generate.py from its tables; edit the
# tables, not this file. Codes: U-<A|V|L>-<industry>-<number>; levels follow data/framework.toml.
"""

HEADER_STANDARDS = """# Demo recognition standards (认定标准, R16). GENERATED by generate.py from its tables; edit
# the tables, not this file. Each standard places matching outcomes against one unit.
"""

# ---------------------------------------------------------------------------------------------
# Checks, in the spirit of catalog.rs and a little stricter.

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code_ok(code):
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    total = sum(ALPHABET.index(c) * w for c, w in zip(code, WEIGHTS))
    check = 31 - total % 31
    return ALPHABET[0 if check == 31 else check] == code[17]


# Rules kept on purpose although their unit is below the course (R20), to show a refusal.
EXPECTED_R20_REFUSALS = {"CR-ZNLY-09"}


def check(units_text, standards_text):
    units = tomllib.loads(units_text)["units"]
    standards = tomllib.loads(standards_text)["standards"]
    prog_path = HERE / "programmes.toml"
    prog = tomllib.loads(prog_path.read_text(encoding="utf-8")) if prog_path.exists() else {}
    problems = []
    by_code = {}
    for u in units:
        if u["code"] in by_code:
            problems.append("unit %s twice" % u["code"])
        by_code[u["code"]] = u
        cat = {"academic": "A", "vocational": "V", "leisure": "L"}[u["category"]]
        if not u["code"].startswith("U-%s-%s-" % (cat, u["industry"])):
            problems.append("unit %s: code does not match category/industry" % u["code"])
    seen = set()
    for st in standards:
        key = (st["code"], st.get("version", 1))
        if key in seen:
            problems.append("standard %s version twice" % st["code"])
        seen.add(key)
        if st["unit_code"] not in by_code:
            problems.append("standard %s: unknown unit" % st["code"])
        src = st.get("criteria", {}).get("source")
        if src and not credit_code_ok(src):
            problems.append("standard %s: bad source code" % st["code"])
    programmes = {p["code"]: p for p in prog.get("programmes", [])}
    for p in programmes.values():
        if not credit_code_ok(p["institution"]):
            problems.append("programme %s: bad institution code" % p["code"])
        total = sum(float(c["credits"]) for c in p["courses"])
        if total < float(p["award_credits"]):
            problems.append("programme %s: courses %.1f < award %s" % (p["code"], total, p["award_credits"]))
    for r in prog.get("rules", []):
        p = programmes.get(r["programme_code"])
        course = p and next((c for c in p["courses"] if c["code"] == r["course_code"]), None)
        if not course:
            problems.append("rule %s: unknown programme or course" % r["code"])
            continue
        acc = r["accepts"]
        units_accepted = []
        if "unit_code" in acc:
            units_accepted = [by_code.get(acc["unit_code"])]
        elif "certificate_code" in acc:
            # the units of this certificate at the accepted levels
            units_accepted = [by_code[st["unit_code"]] for st in standards
                              if st["criteria"].get("certificate_code") == acc["certificate_code"]
                              and st["criteria"].get("certificate_level_at_least", 9) <= acc.get("certificate_level_at_least", 9)]
        if not units_accepted or None in units_accepted:
            problems.append("rule %s: accepts no known unit" % r["code"])
            continue
        for u in units_accepted:
            if u["category"] == "leisure" and course.get("category", "academic") == "academic":
                problems.append("rule %s: leisure into academic (R11)" % r["code"])
            short = u["level"] < course["level"] or float(u["credits"]) < float(course["credits"])
            if short != (r["code"] in EXPECTED_R20_REFUSALS):
                problems.append("rule %s: unit %s (level %s, %s cr) vs course %s (level %s, %s cr), refusal expected: %s" % (
                    r["code"], u["code"], u["level"], u["credits"], course["code"], course["level"], course["credits"], short))
    return problems


def main():
    for code in (OPEN_UNIVERSITY, COLLEGE):
        assert credit_code_ok(code), code
    units = HEADER_UNITS + "\n" + "\n\n".join(build_units()) + "\n"
    standards = HEADER_STANDARDS + "\n" + "\n\n".join(build_standards()) + "\n"
    problems = check(units, standards)
    for p in problems:
        print("problem:", p, file=sys.stderr)
    (HERE / "units.toml").write_text(units, encoding="utf-8")
    (HERE / "standards.toml").write_text(standards, encoding="utf-8")
    n_units = len(tomllib.loads(units)["units"])
    n_std = len(tomllib.loads(standards)["standards"])
    print("units: %d, standards: %d" % (n_units, n_std))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
