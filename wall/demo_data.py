"""The Chinese content of `manage.py seed_demo`: a university's kinds, units, staff and posts.

Titles, texts and replies are templates; `{dorm}`, `{room}`, `{teach}`, `{canteen}`, `{place}`,
`{floor}`, `{course}` and `{unit}` are filled in per post so that a few dozen topics read as
hundreds of different requests.
"""

import json
from dataclasses import dataclass
from pathlib import Path

DEMO_PASSWORD = "echowall-demo"  # noqa: S105 - printed for everyone to use; the demo has no secrets

# name, slug, entry button text
KINDS = [
    ("建议", "suggestion", "我有建议要提交"),
    ("咨询", "question", "我有问题要咨询"),
    ("报修", "repair", "我有故障要报修"),
    ("投诉", "complaint", "我有事项要投诉"),
    ("求助", "help", "我需要帮助（团团助就业）"),
]

# name, type (cases.models.Unit.Type values)
UNITS = [
    ("后勤管理处", "department"),
    ("保卫处", "department"),
    ("教务处", "department"),
    ("学生工作处", "department"),
    ("财务处", "department"),
    ("图书馆", "department"),
    ("信息化建设与管理处", "department"),
    ("校医院", "department"),
    ("招生就业处", "department"),
    ("研究生院", "department"),
    ("计算机学院", "college"),
    ("外国语学院", "college"),
]

# The English names shown when the site is read in English.
NAMES_EN = {
    "建议": "Suggestion",
    "咨询": "Question",
    "报修": "Repair",
    "投诉": "Complaint",
    "求助": "Help",
    "后勤管理处": "Logistics Office",
    "保卫处": "Security Office",
    "教务处": "Academic Affairs Office",
    "学生工作处": "Student Affairs Office",
    "财务处": "Finance Office",
    "图书馆": "Library",
    "信息化建设与管理处": "IT Services",
    "校医院": "University Hospital",
    "招生就业处": "Admissions and Careers Office",
    "研究生院": "Graduate School",
    "计算机学院": "School of Computer Science",
    "外国语学院": "School of Foreign Languages",
    "后勤保障": "Campus services",
    "教学管理": "Teaching",
    "安全治理": "Safety",
    "环境治理": "Environment",
    "费用缴纳": "Fees",
    "医疗服务": "Health care",
    "网络与信息化": "Network and IT",
    "图书资料": "Library resources",
    "就业创业": "Careers",
    "学生事务": "Student affairs",
    "其它": "Other",
}

# name, default unit. 其它 has none on purpose: what it is about, and so who answers, is the
# editor's call each time.
CATEGORIES = [
    ("后勤保障", "后勤管理处"),
    ("教学管理", "教务处"),
    ("安全治理", "保卫处"),
    ("环境治理", "后勤管理处"),
    ("费用缴纳", "财务处"),
    ("医疗服务", "校医院"),
    ("网络与信息化", "信息化建设与管理处"),
    ("图书资料", "图书馆"),
    ("就业创业", "招生就业处"),
    ("学生事务", "学生工作处"),
    ("其它", None),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    role: str  # a group name from cases.roles.ROLE_GROUPS, or a label for the two roles without a group
    units: tuple[str, ...] = ()
    group: bool = True
    supervises: tuple[str, ...] = ()


SUPERUSER_ROLE = "超级管理员"
POSTER_ROLE = "诉求人（无后台权限）"

USERS = [
    DemoUser("admin", "系统管理员", SUPERUSER_ROLE, group=False),
    DemoUser("editor", "王芳", "编辑"),
    DemoUser("handler", "刘洋", "信息员", ("后勤管理处", "信息化建设与管理处")),
    DemoUser("handler2", "陈静", "信息员", ("教务处", "研究生院")),
    DemoUser("houqin2", "张伟", "信息员", ("后勤管理处",)),
    DemoUser("jiaowu2", "黄丽", "信息员", ("教务处",)),
    DemoUser("baowei", "赵强", "信息员", ("保卫处",)),
    DemoUser("baowei2", "马超", "信息员", ("保卫处",)),
    DemoUser("xuegong", "林晓", "信息员", ("学生工作处",)),
    DemoUser("caiwu", "何敏", "信息员", ("财务处",)),
    DemoUser("tushuguan", "郭静", "信息员", ("图书馆",)),
    DemoUser("xiaoyiyuan", "罗娟", "信息员", ("校医院",)),
    DemoUser("jiuye", "高峰", "信息员", ("招生就业处",)),
    DemoUser("jisuanji", "郑凯", "信息员", ("计算机学院",)),
    DemoUser("waiyu", "谢婷", "信息员", ("外国语学院",)),
    DemoUser("supervisor", "孙丽", "督查员", supervises=("后勤管理处", "保卫处", "学生工作处", "信息化建设与管理处")),
    DemoUser("globalsup", "周涛", "全局督办员"),
    DemoUser("leader", "吴建国", "校领导"),
    DemoUser("student", "李小雨", POSTER_ROLE, group=False),
]

TRANSFER_REASONS = [
    "经核实，该事项由{unit}负责，已转{unit}办理。",
    "不属于本单位职责范围，请{unit}协助处理。",
    "涉及{unit}管理的设施，转交{unit}。",
]
CO_HANDLING_NOTES = [
    "已与牵头单位沟通，我方负责现场配合。",
    "本单位已安排人员周三到现场，处理结果同步给牵头单位。",
]

STUDENT_PHONE = "13812345678"

# Words the templates are filled with.
DORMS = [f"{n}号学生公寓" for n in range(1, 17)] + ["梅园3栋", "竹园5栋", "桃李苑2栋", "研究生公寓A座"]
TEACHING_BUILDINGS = ["第一教学楼", "第二教学楼", "第三教学楼", "理科楼", "文科楼", "实验楼A座", "综合楼"]
CANTEENS = ["第一食堂", "第二食堂", "东区食堂", "西苑餐厅", "清真餐厅", "学苑餐厅"]
PLACES = ["北门", "南门", "东操场", "西区篮球场", "体育馆", "图书馆前广场", "主干道", "西区快递点", "湖边步道"]
COURSES = ["高等数学", "大学物理", "线性代数", "大学英语", "数据结构", "概率论与数理统计", "马克思主义基本原理"]


@dataclass(frozen=True)
class Topic:
    kind: str  # a Kind slug
    title: str
    body: str
    reply: str
    unit: str | None = None  # who answers, when not the category's default unit


# {category: [Topic]}: what students ask about, in wall/demo_topics.json (text templates, see above).
with open(Path(__file__).with_name("demo_topics.json"), encoding="utf-8") as topics:
    TOPICS = {category: [Topic(**topic) for topic in items] for category, items in json.load(topics).items()}

# Answers that must not be public: they speak of the poster's own case.
PRIVATE_REPLIES = [
    "您好，已电话与您联系并说明了具体情况，如还有疑问，欢迎工作日到{unit}办公室面谈。",
    "您好，涉及您个人信息的部分不便公开答复。已核实您的情况，请于工作日携带学生证到{unit}办理。",
    "同学你好，你反映的情况我们已转告你的辅导员，辅导员会在两天内与你联系。",
    "您好，补充说明：维修人员的联系电话已通过短信发给您，上门前会提前联系。",
]

# "Cannot be solved now" (暂无法解决): the reason, told privately to the poster; the post is then on hold (挂账).
HOLD_REPLIES = [
    "您好，经现场核实，该问题需要更换整段管线，须列入下一年度维修预算，目前暂无法解决。我们已登记，计划在假期施工，届时另行通知。",
    "您好，此事涉及多个部门和校外单位协调，短期内暂无法解决。我们会持续跟进，计划解决日期到时再向您答复进展。",
]

# The office as the footer shows it (a made-up number).
OFFICE = {"hotline": "010-6275 0000", "hours": "工作日 8:30–17:30", "address": "行政楼 101 室", "wechat": "回音壁示例"}

# A leader's instruction (批示) on an open post; the leader is also 后勤管理处's vice-president (分管校领导).
INSTRUCTION = "请后勤管理处本周内拿出解决方案，并将处理结果报我。"
OVERSEEN_UNIT = "后勤管理处"

# Second-round answers, after the poster reopened the post.
SECOND_REPLIES = [
    "您好，收到您的再次反馈后，我们安排专人到现场复查。之前的处理确有不到位之处，现已彻底解决，感谢您的监督。",
    "您好，已再次协调相关人员处理，并对责任人进行了提醒，后续一个月内每周回访一次。",
    "您好，此前答复不够具体，现补充说明：相关问题已纳入本月整改清单，完成后将在此处更新进展。",
]

REOPEN_REASONS = [
    "问题并没有解决，这两天还是和之前一样。",
    "答复说已经处理了，但现场没有任何变化。",
    "只是临时处理了一下，第二天又坏了。",
    "答复没有回应我提的问题，希望给个明确的时间。",
]

# Added by the poster while waiting for the answer.
FOLLOW_UPS = [
    "补充一下：这个问题从上周一就开始了，附近几个宿舍都是同样的情况。",
    "请问现在有进展了吗？",
    "补充联系时间：工作日下午都可以，上门前请先打电话。",
]

REJECT_REASONS = [
    "您反映的是校外商户的消费纠纷，不在本平台受理范围内，建议拨打12345市民服务热线。",
    "与此前已答复的诉求重复，请在回音壁搜索相关答复。",
    "内容含有不文明用语，请修改后重新提交。",
    "诉求描述不清，无法确定具体地点和问题，请补充后重新提交。",
]

GOOD_COMMENTS = ["", "", "处理很及时，点赞！", "老师态度很好，问题已经解决了。", "效率很高，谢谢师傅。", "满意。"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
