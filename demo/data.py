"""The Pingxiang demo's fixed vocabulary: the real counties and townships,
the municipal and provincial units, section names, name syllables and the
texts of tasks, projects and targets. Plain data; the builders turn it into
rows. Nothing here is random: the builders draw from it with a seeded RNG."""

from datetime import date

SEED = 1335
# The data describes Pingxiang as of the seed article (China Daily, 2011-08-01):
# nothing in the demo happens after this day.
AS_OF = date(2011, 7, 31)
YEARS = (2008, 2009, 2010, 2011)

ROOT_CODE = "360300"
ROOT_NAME = "萍乡市"
COMMISSION_OFFICE = "市纪委机关"
SECRETARY_NAME = "舒仁庆"
SECRETARY_POST = "市委常委、市纪委书记"

# --- Counties and districts: (code, name, document prefix, brand model, brand text) --
COUNTIES = (
    (
        "360302",
        "安源区",
        "安发",
        "梯链网",
        "以责任梯次、监督链条、防控网络为三维,构建“梯链网”立体工作模式。",
    ),
    (
        "360313",
        "湘东区",
        "湘发",
        "1372",
        "围绕一条主线,抓好三个层级,实施七项工程,健全两项机制。",
    ),
    (
        "360321",
        "莲花县",
        "莲发",
        "三环相扣、三责并举",
        "教育、制度、监督三环相扣,党委主体责任、纪委监督责任、部门直接责任三责并举。",
    ),
    (
        "360322",
        "上栗县",
        "栗发",
        "三级联动、六位一体",
        "县、乡、村三级联动,教育、制度、监督、改革、纠风、惩处六位一体。",
    ),
    (
        "360323",
        "芦溪县",
        "芦发",
        "四个保廉体系",
        "突出四个重点,构建教育保廉、制度保廉、监督保廉、科技保廉四个保廉体系。",
    ),
)

# --- Township agencies (46), by county code. A name ending in 街道 is a sub-district.
TOWNSHIPS = {
    "360302": ("安源镇", "青山镇", "高坑镇", "五陂镇", "丹江街道"),
    "360313": (
        "湘东镇",
        "腊市镇",
        "下埠镇",
        "排上镇",
        "荷尧镇",
        "老关镇",
        "东桥镇",
        "麻山镇",
        "白竺乡",
        "广寒寨乡",
    ),
    "360321": (
        "琴亭镇",
        "路口镇",
        "良坊镇",
        "升坊镇",
        "坊楼镇",
        "闪石乡",
        "湖上乡",
        "南岭乡",
        "六市乡",
        "三板桥乡",
        "荷塘乡",
        "神泉乡",
        "高洲乡",
    ),
    "360322": (
        "上栗镇",
        "桐木镇",
        "金山镇",
        "福田镇",
        "彭高镇",
        "赤山镇",
        "鸡冠山乡",
        "长平乡",
        "东源乡",
        "杨岐乡",
    ),
    "360323": ("芦溪镇", "宣风镇", "上埠镇", "南坑镇", "银河镇", "源南乡", "长丰乡", "新泉乡"),
}
# The 47th township service centre belongs to a management committee, not a township.
EXTRA_CENTRE = ("360302", "安源区城郊管委会便民服务中心和公共资源交易站")
VILLAGE_POINTS_TOTAL = 625

# Grassroots units that are not counted in the seed's figures but give the
# departments somewhere to split downward and sign letters with.
SUBORDINATES = {
    "市教育局": (
        ("school", "萍乡中学"),
        ("school", "萍乡三中"),
        ("school", "萍乡实验学校"),
        ("school", "萍乡市卫生学校"),
        ("school", "萍乡市第二中学"),
    ),
    "市国资委": (
        ("enterprise", "萍乡市城市建设投资发展公司"),
        ("enterprise", "萍乡市公共交通公司"),
        ("enterprise", "萍乡市自来水公司"),
        ("enterprise", "萍乡市燃气公司"),
    ),
}
COMMUNITIES = {"丹江街道": ("丹江社区", "城北社区", "八一社区", "凤凰社区")}

# --- Departments: 72 municipal + 15 provincial = 87 ---------------------------------
MUNICIPAL_DEPTS = (
    "市委办公室",
    "市人大常委会办公室",
    "市政府办公室",
    "市政协办公室",
    COMMISSION_OFFICE,
    "市委组织部",
    "市委宣传部",
    "市委统战部",
    "市委政法委",
    "市委政策研究室",
    "市直机关工委",
    "市委党校",
    "市委老干部局",
    "市编办",
    "市信访局",
    "市发改委",
    "市工信委",
    "市教育局",
    "市科技局",
    "市民宗局",
    "市公安局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人社局",
    "市国土资源局",
    "市环保局",
    "市住建局",
    "市交通运输局",
    "市水务局",
    "市农业局",
    "市林业局",
    "市商务局",
    "市文广新局",
    "市卫生局",
    "市人口计生委",
    "市审计局",
    "市国资委",
    "市安监局",
    "市统计局",
    "市食品药品监管局",
    "市旅游局",
    "市体育局",
    "市房管局",
    "市城管局",
    "市规划局",
    "市粮食局",
    "市物价局",
    "市人防办",
    "市外侨办",
    "市法制办",
    "市金融办",
    "市机关事务管理局",
    "市招商局",
    "市畜牧水产局",
    "市农机局",
    "市扶贫和移民办",
    "市公共资源交易中心",
    "市行政服务中心",
    "市住房公积金管理中心",
    "市社保局",
    "市档案局",
    "市供销社",
    "市总工会",
    "团市委",
    "市妇联",
    "市科协",
    "市文联",
    "市残联",
    "市中级人民法院",
    "市人民检察院",
    "萍乡日报社",
)
PROVINCIAL_DEPTS = (
    "萍乡市地方税务局",
    "萍乡市国家税务局",
    "萍乡市工商行政管理局",
    "萍乡市质量技术监督局",
    "萍乡市烟草专卖局",
    "萍乡供电公司",
    "萍乡市气象局",
    "萍乡公路分局",
    "中国人民银行萍乡市中心支行",
    "萍乡银监分局",
    "萍乡市邮政局",
    "中国电信萍乡分公司",
    "萍乡市盐务局",
    "萍乡出入境检验检疫局",
    "国家统计局萍乡调查队",
)

# --- Sections (科室) -------------------------------------------------------------------
COUNTY_SECTIONS = (
    "纪委办公室",
    "惩防办",
    "党风廉政建设室",
    "执法监察室",
    "纠风室",
    "案件审理室",
)
DEPT_SECTIONS = {
    COMMISSION_OFFICE: ("办公室", "惩防办", "党风廉政建设室", "执法监察室", "纠风室", "案件审理室"),
    "市委组织部": ("办公室", "组织科", "干部科", "干部监督科", "公务员管理科"),
    "市财政局": ("办公室", "预算科", "国库科", "综合科", "监督检查科", "会计科"),
    "市审计局": ("办公室", "财政审计科", "经济责任审计科", "固定资产投资审计科", "法规科"),
    "市住建局": ("办公室", "建筑业管理科", "城建科", "村镇建设科", "质量安全监督科"),
    "市教育局": ("办公室", "基础教育科", "计划财务科", "人事科", "督导室"),
    "市国资委": ("办公室", "企业改革科", "产权管理科", "考核分配科"),
    "市国土资源局": ("办公室", "地籍科", "土地利用科", "矿产资源科", "执法监察支队"),
    "市公共资源交易中心": ("办公室", "工程交易科", "政府采购科", "产权交易科"),
    "市卫生局": ("办公室", "医政科", "计划财务科", "卫生监督科"),
}
GENERIC_SECTIONS = (
    "综合科",
    "监督检查科",
    "财务科",
    "人事科",
    "政策法规科",
    "计划财务科",
    "行政审批科",
    "法规科",
    "业务科",
    "监察室",
    "信息科",
    "宣传科",
)

# --- Posts by the name's ending -----------------------------------------------------
HEAD_POSTS = (
    ("办公室", "主任"),
    ("组织部", "部长"),
    ("宣传部", "部长"),
    ("统战部", "部长"),
    ("政法委", "书记"),
    ("研究室", "主任"),
    ("工委", "书记"),
    ("党校", "常务副校长"),
    ("法院", "院长"),
    ("检察院", "检察长"),
    ("报社", "社长"),
    ("团市委", "书记"),
    ("总工会", "主席"),
    ("妇联", "主席"),
    ("科协", "主席"),
    ("文联", "主席"),
    ("残联", "理事长"),
    ("供销社", "主任"),
    ("支行", "行长"),
    ("公司", "总经理"),
    ("调查队", "队长"),
    ("分局", "局长"),
    ("中心", "主任"),
    ("委", "主任"),
    ("办", "主任"),
    ("局", "局长"),
    ("机关", "书记"),
)

# --- People's names: fictitious, drawn from common syllables -------------------------
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹"
    "易文龚邵万钱严黎贺顾毛郝龙段雷"
)
GIVEN_FIRST = "建国志明晓春永德海文国新小卫红丽秋光立学兴家俊玉金长振宏庆"
GIVEN_SECOND = "华军平斌强伟勇辉明芳敏霞涛峰林波鹏亮刚萍英云生荣忠东清"
GIVEN_SINGLE = "伟勇军斌涛峰波鹏亮刚萍英芳敏霞辉明杰浩琳"

# --- Village names (625 agent points) ------------------------------------------------
VILLAGE_FIRST = "石枫桃杨柳竹松梅荷湖塘坪岭溪源泉田山高新东西南上大龙凤金银白黄青长樟茶花洲桥林"
VILLAGE_SECOND = "林山塘田坪岭冲溪源湖桥湾江坑口陂坊岗洲背头园坡里下"

# --- The framework --------------------------------------------------------------------
FRAMEWORK = {
    "code": "pingxiang-1335",
    "name": "萍乡“1335”惩防体系构建模式",
    "main_line": "项目化管理、责任制落实",
    "description": (
        "以“项目化管理、责任制落实”为主线,以县区、部门、基层三个层级为主体,"
        "实施廉政阳光工程、重点特色工程、基层保廉工程三大工程,"
        "建立不愿、不能、不可、不易、不敢腐败的五个机制。"
    ),
}
TIERS = (
    ("county", "县区", "县(区)党委、政府及其部门"),
    ("department", "部门", "市直和省属单位"),
    ("grassroots", "基层", "乡镇、村(社区)、企业、学校等基层组织"),
)
PROGRAMS = (
    (
        "sunshine",
        "廉政阳光工程",
        "以风险岗位廉能管理为重点,推行分岗确权、分险设防、分层监管、分类处置“四分法”。",
    ),
    ("featured", "重点特色工程", "以机制制度创新为重点,各县区集中打造本地惩防体系建设品牌。"),
    ("grassroots", "基层保廉工程", "将保廉工程延伸到社区、企业、学校等基层组织。"),
)
MECHANISMS = (
    ("self_discipline", "自律机制", "不愿腐败"),
    ("institution", "制度体系", "不能腐败"),
    ("prevention", "防范机制", "不可腐败"),
    ("long_term", "长效机制", "不易腐败"),
    ("punishment", "惩处机制", "不敢腐败"),
)

# --- The plan and its 113 tasks: (mechanism, program or "", lead unit, content) ------
PLAN = {
    "title": (
        "中共萍乡市委贯彻《建立健全惩治和预防腐败体系2008—2012年工作规划》实施细则及任务分工方案"
    ),
    "document_number": "萍发〔2008〕9号",
    "issuer": "中共萍乡市委",
    "issued_on": date(2008, 6, 20),
    "period_start": 2008,
    "period_end": 2012,
}
_C = COMMISSION_OFFICE
PLAN_TASKS = (
    # 自律机制 — 不愿腐败
    (
        "self_discipline",
        "",
        "市委组织部",
        "深入开展理想信念和从政道德教育,把反腐倡廉教育纳入干部教育培训规划",
    ),
    ("self_discipline", "", _C, "落实领导干部任前廉政谈话和诫勉谈话制度"),
    ("self_discipline", "", "市直机关工委", "开展廉政文化进机关活动,打造机关廉政文化示范点"),
    ("self_discipline", "grassroots", "市民政局", "开展廉政文化进社区、进家庭活动"),
    ("self_discipline", "grassroots", "市教育局", "开展廉政文化进学校活动,推进廉洁教育进课堂"),
    ("self_discipline", "grassroots", "市国资委", "开展廉政文化进企业活动,培育企业廉洁文化"),
    ("self_discipline", "grassroots", "市农业局", "开展廉政文化进农村活动,建设农村廉政文化阵地"),
    ("self_discipline", "", "市委宣传部", "每年组织开展党风廉政建设宣传教育月活动"),
    ("self_discipline", "", _C, "建立反腐倡廉警示教育基地,定期组织领导干部接受警示教育"),
    ("self_discipline", "", "市委组织部", "对新任领导干部开展廉政知识培训和测试"),
    ("self_discipline", "", "市委组织部", "落实领导干部报告个人有关事项制度"),
    ("self_discipline", "", _C, "落实领导干部述职述廉制度,推行述廉评议"),
    ("self_discipline", "", _C, "建立廉政短信提醒和节前廉洁提醒制度"),
    ("self_discipline", "", "市委组织部", "建立健全领导干部廉政档案"),
    ("self_discipline", "", "市直机关工委", "开展“廉洁从政、勤政为民”主题实践活动"),
    ("self_discipline", "", "市委宣传部", "加强反腐倡廉网络宣传,建设萍乡廉政网"),
    ("self_discipline", "", "市委党校", "把反腐倡廉教育纳入市委党校主体班次教学计划"),
    ("self_discipline", "", "市妇联", "开展家庭助廉活动,组织领导干部家属参加廉政教育"),
    ("self_discipline", "", "市人社局", "推行公务员廉政承诺制度"),
    ("self_discipline", "", "市文广新局", "开展廉政公益广告和廉政文艺作品创作展演"),
    ("self_discipline", "", "萍乡日报社", "在市主要媒体开设反腐倡廉专栏"),
    ("self_discipline", "", "市委宣传部", "建立反腐倡廉宣传教育联席会议制度"),
    ("self_discipline", "", "市文联", "开展廉政格言警句征集和廉政书画展活动"),
    # 制度体系 — 不能腐败
    ("institution", "", "市委办公室", "健全“三重一大”事项集体决策制度"),
    ("institution", "sunshine", "市行政服务中心", "推进行政审批制度改革,清理和规范行政审批事项"),
    ("institution", "", "市委组织部", "深化干部人事制度改革,推行干部选拔任用全程纪实"),
    ("institution", "sunshine", "市财政局", "推进财政国库集中收付制度改革"),
    ("institution", "sunshine", "市财政局", "推行政府采购“管采分离”制度"),
    ("institution", "", "市公共资源交易中心", "建立统一规范的公共资源交易市场"),
    ("institution", "", "市住建局", "完善工程建设项目招标投标制度"),
    ("institution", "", "市国土资源局", "推行经营性土地使用权招标拍卖挂牌出让制度"),
    ("institution", "", "市发改委", "深化投资体制改革,规范政府投资项目管理"),
    ("institution", "", "市国资委", "推行国有产权进场交易制度"),
    ("institution", "", "市委组织部", "完善党内情况通报和党内事务听证制度"),
    ("institution", "sunshine", "市法制办", "建立健全行政执法责任制和过错责任追究制度"),
    ("institution", "sunshine", "市法制办", "规范行政自由裁量权,制定自由裁量基准"),
    ("institution", "", "市财政局", "建立公务消费管理制度,推行公务卡结算"),
    ("institution", "", "市机关事务管理局", "完善公务接待管理制度"),
    ("institution", "", "市机关事务管理局", "健全公务用车管理制度"),
    ("institution", "", "市委政法委", "深化司法体制改革,完善执法监督制度"),
    ("institution", "", _C, "建立反腐倡廉制度执行情况检查制度"),
    ("institution", "", "市审计局", "完善领导干部经济责任审计制度"),
    ("institution", "", _C, "建立惩防体系建设项目管理制度"),
    ("institution", "", _C, "建立牵头单位和协办单位工作协调制度"),
    ("institution", "", _C, "建立惩防体系建设工作报告制度"),
    ("institution", "", _C, "建立惩防体系建设督查调度制度"),
    # 防范机制 — 不可腐败
    ("prevention", "sunshine", _C, "在市直和省属单位推行风险岗位廉能管理“四分法”"),
    ("prevention", "sunshine", _C, "全面开展廉政风险排查,编制职权目录和权力运行流程图"),
    ("prevention", "sunshine", _C, "建立廉政风险预警和处置机制"),
    ("prevention", "", "市政府办公室", "推进政务公开、厂务公开、村务公开"),
    ("prevention", "", "市委组织部", "推行党务公开"),
    ("prevention", "sunshine", "市行政服务中心", "建设行政审批电子监察系统"),
    ("prevention", "sunshine", "市公共资源交易中心", "建设公共资源交易电子监察系统"),
    ("prevention", "", _C, "加强对重点领域和关键环节的监督"),
    ("prevention", "", "市委组织部", "加强对领导干部行使权力的监督,落实民主生活会制度"),
    ("prevention", "", "市委组织部", "开展对县区和市直单位的巡视工作"),
    ("prevention", "", _C, "建立健全特邀监察员和党风廉政监督员制度"),
    ("prevention", "", "市发改委", "加强对扩大内需项目资金使用情况的监督检查"),
    ("prevention", "grassroots", "市农业局", "加强对农村集体“三资”的监督管理"),
    ("prevention", "grassroots", "市民政局", "推行村级“三务公开”"),
    ("prevention", "", "市财政局", "开展“小金库”专项治理"),
    ("prevention", "", "市住建局", "开展工程建设领域突出问题专项治理"),
    ("prevention", "", "市社保局", "加强对社保基金、住房公积金等专项资金的监管"),
    ("prevention", "", "市卫生局", "加强对教育收费、医药购销的监管"),
    ("prevention", "grassroots", "市行政服务中心", "推行“阳光政务”,规范便民服务中心运行"),
    ("prevention", "", _C, "建立健全行政效能监察制度"),
    ("prevention", "", "市审计局", "加强审计监督,开展重点项目跟踪审计"),
    ("prevention", "", "市信访局", "建立信访举报分析和预警制度"),
    ("prevention", "", "市委组织部", "建立干部监督信息沟通联席会议制度"),
    # 长效机制 — 不易腐败
    ("long_term", "", _C, "建立惩防体系建设项目化管理长效机制"),
    ("long_term", "featured", _C, "建立县区、部门、基层三级联动工作机制"),
    ("long_term", "", _C, "建立“一月一通报、一季一督查、半年一督导、一年一考核”工作机制"),
    ("long_term", "", _C, "健全纠风工作长效机制,治理损害群众利益的突出问题"),
    ("long_term", "", _C, "建立民主评议政风行风长效机制"),
    ("long_term", "", "市直机关工委", "建立机关效能建设长效机制,开展治理“庸懒散”活动"),
    ("long_term", "grassroots", "市行政服务中心", "推进乡镇便民服务中心规范化建设"),
    ("long_term", "grassroots", "市民政局", "建立村级代办点,实现为民代办全覆盖"),
    ("long_term", "grassroots", "市行政服务中心", "建立县区政务服务中心“一站式”服务机制"),
    ("long_term", "grassroots", "市农业局", "建立农村集体“三资”委托代理长效机制"),
    ("long_term", "grassroots", "市委组织部", "完善农村党风廉政建设长效机制"),
    ("long_term", "grassroots", "市国资委", "建立国有企业党风廉政建设长效机制"),
    ("long_term", "grassroots", "市教育局", "建立学校党风廉政建设长效机制"),
    ("long_term", "grassroots", "市民政局", "建立社区党风廉政建设长效机制"),
    ("long_term", "", "市卫生局", "建立医疗卫生系统行风建设长效机制"),
    ("long_term", "sunshine", "市行政服务中心", "推行行政审批“两集中、两到位”改革"),
    ("long_term", "", "市政府办公室", "推进政府信息公开长效机制建设"),
    ("long_term", "", "市委组织部", "建立干部考核评价与党风廉政建设责任制考核结合机制"),
    ("long_term", "", "市委办公室", "建立惩防体系建设与经济社会发展同部署机制"),
    ("long_term", "", "市工信委", "建立治理商业贿赂长效机制"),
    ("long_term", "sunshine", _C, "建立廉政风险动态管理长效机制"),
    ("long_term", "grassroots", "市行政服务中心", "开展“十佳乡镇便民服务中心”创建活动"),
    ("long_term", "featured", _C, "建立反腐倡廉建设创新项目评选推广机制"),
    # 惩处机制 — 不敢腐败
    ("punishment", "", _C, "严肃查处领导机关和领导干部违纪违法案件"),
    ("punishment", "", _C, "严肃查处官商勾结、权钱交易案件"),
    ("punishment", "", _C, "严肃查处工程建设、土地出让、产权交易等领域的案件"),
    ("punishment", "", _C, "严肃查处发生在群众身边的腐败案件"),
    ("punishment", "", "市人民检察院", "严肃查处失职渎职案件"),
    ("punishment", "", "市工信委", "深入开展治理商业贿赂专项工作"),
    ("punishment", "", _C, "健全反腐败协调小组工作机制"),
    ("punishment", "", "市人民检察院", "完善纪检监察机关与司法、审计等机关的协作配合机制"),
    ("punishment", "", _C, "落实党风廉政建设责任追究制度"),
    ("punishment", "", "市法制办", "推行行政问责制度"),
    ("punishment", "", _C, "加强案件审理工作,保障被调查人合法权益"),
    ("punishment", "", _C, "发挥查办案件的治本功能,推行“一案两报告”制度"),
    ("punishment", "", "市信访局", "加强信访举报工作,畅通举报渠道"),
    ("punishment", "", "市直机关工委", "开展“效能问责”专项行动"),
    ("punishment", "", _C, "完善案件线索集中管理和集体排查制度"),
    ("punishment", "", "市财政局", "加强对违纪违法所得的追缴工作"),
    ("punishment", "", _C, "建立案件剖析和警示教育通报制度"),
    ("punishment", "", _C, "开展党员干部违规收送礼金专项治理"),
    ("punishment", "", "市委组织部", "严肃查处违反组织人事纪律行为"),
    ("punishment", "", _C, "严肃查处损害群众利益的案件"),
    ("punishment", "", _C, "加强对党员干部违反廉洁自律规定行为的查处"),
)
PLAN_TASKS_COMPLETED = 104
PLAN_TASKS_IN_PROGRESS = 6  # the other 3 are pending

# --- Projects: per-year counts by category (125 / 117 / 13 = 255) --------------------
PROJECTS_PER_YEAR = {
    2008: {"common": 25, "individual": 24, "extension": 3},
    2009: {"common": 31, "individual": 28, "extension": 3},
    2010: {"common": 33, "individual": 32, "extension": 3},
    2011: {"common": 36, "individual": 33, "extension": 4},
}
# Common projects (共性): (theme, lead unit, program, mechanisms, target keys)
COMMON_THEMES = (
    ("风险岗位廉能管理“四分法”推进", _C, "sunshine", ("prevention",), ("risk_points", "posts")),
    ("廉政风险排查与职权目录编制", _C, "sunshine", ("prevention",), ("risk_points", "flowcharts")),
    (
        "党风廉政建设宣传教育月",
        "市委宣传部",
        "sunshine",
        ("self_discipline",),
        ("events", "people"),
    ),
    ("领导干部廉政谈话", _C, "sunshine", ("self_discipline",), ("talks",)),
    ("领导干部述职述廉", _C, "sunshine", ("self_discipline",), ("reports", "coverage")),
    ("廉政文化进机关", "市直机关工委", "sunshine", ("self_discipline",), ("sites", "events")),
    (
        "“三重一大”集体决策制度落实",
        "市委办公室",
        "sunshine",
        ("institution",),
        ("rules", "coverage"),
    ),
    ("行政审批制度改革", "市行政服务中心", "sunshine", ("institution",), ("items", "time_cut")),
    ("干部选拔任用全程纪实", "市委组织部", "sunshine", ("institution",), ("files", "coverage")),
    ("财政国库集中支付改革", "市财政局", "sunshine", ("institution",), ("units", "coverage")),
    ("政府采购“管采分离”", "市财政局", "sunshine", ("institution",), ("deals", "savings")),
    (
        "公共资源交易市场建设",
        "市公共资源交易中心",
        "sunshine",
        ("institution",),
        ("deals", "coverage"),
    ),
    ("工程建设项目招投标监管", "市住建局", "sunshine", ("institution",), ("deals", "checks")),
    (
        "经营性土地招拍挂出让监督",
        "市国土资源局",
        "sunshine",
        ("institution",),
        ("deals", "coverage"),
    ),
    ("国有产权进场交易", "市国资委", "sunshine", ("institution",), ("deals", "coverage")),
    ("行政执法责任制落实", "市法制办", "sunshine", ("institution",), ("rules", "checks")),
    ("公务卡结算制度推行", "市财政局", "sunshine", ("institution",), ("units", "coverage")),
    (
        "公务用车和公务接待规范管理",
        "市机关事务管理局",
        "sunshine",
        ("institution",),
        ("rules", "checks"),
    ),
    (
        "领导干部经济责任审计",
        "市审计局",
        "sunshine",
        ("institution", "prevention"),
        ("audits", "rectified"),
    ),
    ("重点项目跟踪审计", "市审计局", "sunshine", ("prevention",), ("audits", "savings")),
    ("党务公开", "市委组织部", "sunshine", ("prevention",), ("units", "coverage")),
    ("政务公开和办事公开", "市政府办公室", "sunshine", ("prevention",), ("items", "coverage")),
    (
        "行政审批电子监察系统建设",
        "市行政服务中心",
        "sunshine",
        ("prevention",),
        ("items", "coverage"),
    ),
    ("“小金库”专项治理", "市财政局", "sunshine", ("prevention",), ("checks", "rectified")),
    (
        "工程建设领域突出问题专项治理",
        "市住建局",
        "sunshine",
        ("prevention",),
        ("checks", "rectified"),
    ),
    ("扩大内需项目资金监督检查", "市发改委", "sunshine", ("prevention",), ("checks", "rectified")),
    ("社保基金和住房公积金监管", "市社保局", "sunshine", ("prevention",), ("checks", "coverage")),
    ("教育收费和医药购销监管", "市卫生局", "sunshine", ("prevention",), ("checks", "rectified")),
    (
        "信访举报分析预警",
        "市信访局",
        "sunshine",
        ("prevention", "punishment"),
        ("reports", "rectified"),
    ),
    ("民主评议政风行风", _C, "sunshine", ("long_term",), ("units", "people")),
    (
        "机关效能建设和治理“庸懒散”",
        "市直机关工委",
        "sunshine",
        ("long_term",),
        ("checks", "rectified"),
    ),
    ("治理商业贿赂", "市工信委", "sunshine", ("long_term", "punishment"), ("checks", "rectified")),
    ("医疗卫生系统行风建设", "市卫生局", "sunshine", ("long_term",), ("units", "people")),
    ("政府信息公开", "市政府办公室", "sunshine", ("long_term",), ("items", "coverage")),
    ("党风廉政建设责任追究", _C, "sunshine", ("punishment",), ("cases", "reports")),
    ("违规收送礼金专项治理", _C, "sunshine", ("punishment",), ("checks", "cases")),
    ("“效能问责”专项行动", "市直机关工委", "sunshine", ("punishment",), ("checks", "cases")),
    (
        "案件剖析和警示教育通报",
        _C,
        "sunshine",
        ("punishment", "self_discipline"),
        ("reports", "events"),
    ),
    ("惩防体系建设督查调度", _C, "sunshine", ("long_term",), ("checks", "reports")),
    ("县区惩防体系建设责任制落实", _C, "featured", ("long_term",), ("letters", "checks")),
)
# Individual projects (个性) of departments: one topic per department, kept each year.
INDIVIDUAL_TOPICS = (
    "内部权力运行流程再造",
    "窗口服务承诺和限时办结",
    "重点岗位轮岗交流",
    "内部控制制度建设",
    "执法自由裁量权规范",
    "廉政风险预警防控",
    "“三重一大”事项报告备案",
    "政务公开规范化建设",
    "财务管理和资金监管",
    "行政审批“两集中、两到位”",
    "干部廉政档案建设",
    "廉政文化品牌创建",
)
# Extension projects (延伸): (year, theme, lead unit name)
EXTENSION_PROJECTS = (
    (2008, "农村集体“三资”委托代理服务", "芦溪县"),
    (2008, "村级“三务公开”规范化建设", "莲花县"),
    (2008, "廉洁文化进校园", "市教育局"),
    (2009, "乡镇便民服务中心规范化建设", "上栗县"),
    (2009, "村级代办点建设", "湘东区"),
    (2009, "国有企业廉洁文化建设", "市国资委"),
    (2010, "“十佳乡镇便民服务中心”创建", "安源区"),
    (2010, "乡镇公共资源交易站建设", "芦溪县"),
    (2010, "社区党风廉政建设", "安源区"),
    (2011, "村级代办点全覆盖", "莲花县"),
    (2011, "乡镇便民服务中心提档升级", "湘东区"),
    (2011, "农村集体“三资”监管平台建设", "上栗县"),
    (2011, "学校党风廉政建设长效机制", "市教育局"),
)
# Quantified targets: key → (description, measure unit, low, high)
TARGETS = {
    "risk_points": ("排查廉政风险点", "个", 80, 400),
    "posts": ("确定风险岗位", "个", 20, 120),
    "flowcharts": ("编制权力运行流程图", "份", 10, 60),
    "events": ("开展廉政教育活动", "次", 4, 20),
    "people": ("受教育党员干部", "人次", 500, 5000),
    "talks": ("开展廉政谈话", "人次", 30, 200),
    "reports": ("提交述职述廉报告", "份", 20, 120),
    "coverage": ("覆盖率", "%", 90, 100),
    "sites": ("建成廉政文化示范点", "个", 3, 15),
    "rules": ("建立完善制度", "项", 3, 15),
    "items": ("清理规范审批(公开)事项", "项", 50, 300),
    "time_cut": ("办理时限平均压缩", "%", 20, 50),
    "files": ("建立干部选任纪实档案", "份", 30, 200),
    "units": ("纳入改革(管理)的单位", "家", 20, 90),
    "deals": ("进场交易项目", "宗", 30, 300),
    "savings": ("节约资金率", "%", 5, 15),
    "checks": ("开展专项检查", "次", 4, 24),
    "rectified": ("问题整改率", "%", 95, 100),
    "audits": ("完成审计项目", "个", 10, 40),
    "cases": ("办结问责案件", "件", 3, 20),
    "letters": ("签订责任书", "份", 20, 120),
    "service": ("建成规范化服务场所", "个", 5, 20),
    "villages": ("建成村级代办点", "个", 40, 140),
    "publicity": ("村务公开栏规范化", "%", 90, 100),
}
INDIVIDUAL_TARGETS = ("rules", "checks", "events", "coverage", "risk_points", "reports")
BRAND_TARGETS = ("letters", "checks", "events", "rules")
EXTENSION_TARGETS = ("service", "villages", "publicity", "events")

# --- Texts ------------------------------------------------------------------------------
INNER_ASPECTS = (
    "方案制定和组织实施",
    "制度建设和台账管理",
    "宣传发动和督促检查",
    "数据统计和资料归档",
)
OUTER_ASPECTS = ("配合开展专项检查", "提供数据和业务支持", "落实本系统相关任务", "参与联合督查")
LEDGER_TEXTS = (
    "召开项目启动会,制定实施方案,明确责任分工和时间节点",
    "完成阶段性任务,报送进展情况和佐证材料",
    "开展自查自纠,对发现的问题建立整改台账",
    "组织专项检查,完成年度目标任务",
    "总结项目实施经验,形成推广材料",
)
RETURN_COMMENTS = (
    "佐证材料不全,请补充会议纪要和签到表",
    "完成数量与量化目标口径不一致,请核对后重新报送",
    "进展描述过于笼统,请列明具体措施和完成时间",
)
FINDINGS = (
    ("项目台账记录不完整,部分进展缺少佐证材料", "补齐台账资料,规范佐证材料归档"),
    ("任务分解未落实到科室和责任人", "重新分解项目任务,明确责任科室和责任人"),
    ("量化目标完成进度滞后于时间节点", "制定赶进度措施,按期完成年度目标"),
    ("廉政风险点排查不全面,防控措施针对性不强", "重新排查风险点,完善防控措施"),
    ("责任书签订不全,未延伸到下属单位", "补签责任书,实现责任全覆盖"),
    ("协办单位配合不到位,信息报送不及时", "建立协调机制,按月报送工作进展"),
    ("制度建设滞后,部分制度未及时修订", "清理修订相关制度,抓好执行"),
)
