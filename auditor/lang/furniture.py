"""Words that mark web-page furniture in scraped reports, and the label words of report headers.

Kept as data so a new site's quirks are a one-line change here, not a code change in
``auditor.ingest``. All entries are in normalised form (half-width punctuation, Simplified),
because they are matched against ``Document.text`` lines.
"""

from __future__ import annotations

# Label words of the metadata header / index table of government pages. A line that starts
# with one of these, followed by ":", whitespace or the end of the line, is furniture.
META_LABELS: tuple[str, ...] = (
    "索引号",
    "主题分类",
    "主题词",
    "发布机构",
    "发文机关",
    "公开方式",
    "公开范围",
    "公开时限",
    "组配分类",
    "体裁分类",
    "服务对象",
    "文件编号",
    "发文字号",
    "文号",
    "有效性",
    "信息来源",
    "文章来源",
    "来源",
    "作者",
    "责任编辑",
    "编辑",
    "发布日期",
    "发布时间",
    "发文日期",
    "成文日期",
    "生成日期",
    "浏览次数",
    "访问次数",
    "点击数",
    "阅读次数",
    "字号",
    "字体",
)

# Labels whose value is the publication date captured as ``Metadata.published``.
DATE_LABELS: tuple[str, ...] = ("发布日期", "发文日期", "发布时间")

# A line starting with one of these (after optional "【" / "[") is furniture.
START_MARKERS: tuple[str, ...] = (
    "当前位置",
    "您现在的位置",
    "您当前的位置",
    "您所在的位置",
    "所在位置",
    "首页>",
    "首页 >",
    "打印本页",
    "关闭窗口",
    "【字体",
    "[字体",
    "分享到",
    "扫一扫",
    "相关链接",
    "相关文章",
    "相关阅读",
    "上一篇",
    "下一篇",
    "网站地图",
    "版权所有",
    "主办单位",
    "网站标识码",
)

# Lines that consist only of these (with spaces) are furniture, e.g. "打印 关闭" or "|".
ONLY_TOKENS: tuple[str, ...] = (
    "打印本页",
    "关闭窗口",
    "打印",
    "关闭",
    "收藏",
    "返回顶部",
    "【打印】",
    "【关闭】",
    "[打印]",
    "[关闭]",
    "|",
    # the font-size switch (字体：大 中 小), left over when a run-on page is cut at its spaces
    "大",
    "中",
    "小",
)

# A short line containing one of these anywhere is furniture (share bars, font switchers).
# Only used on lines up to FURNITURE_MAX_LEN characters, so body sentences are safe.
CONTAINS_MARKERS: tuple[str, ...] = (
    "打印本页",
    "关闭窗口",
    "【字体",
    "[字体",
    "字体:大",
    "字号:大",
    "分享到:",
    "浏览次数:",
    "访问次数:",
    "ICP备",
    "网站标识码",
    "版权所有:",
)
FURNITURE_MAX_LEN = 120

# Characters a breadcrumb line uses between its steps.
BREADCRUMB_SEPARATORS: tuple[str, ...] = (">", "›", "»", "→")
# The first step of a breadcrumb ("首页 > 政务公开 > …").
BREADCRUMB_HOME = "首页"

# About 700 of the most frequent characters of modern Chinese prose (Simplified), plus
# the government vocabulary of these reports. Used to tell a right decoding (GB18030 vs
# Big5) from mojibake: real text is mostly made of these, a wrong decoding is not. The
# Traditional forms are derived at run time with OpenCC, so only Simplified is listed.
COMMON_HANZI: str = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样"
    "理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将"
    "两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信"
    "表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔"
    "更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统"
    "区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品"
    "住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根"
    "干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流"
    "备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越"
    "器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突"
    "专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态"
    "护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故"
    "按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职"
    "速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤"
    "素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略"
    "范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚"
    "善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶"
    "块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序"
    "升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移"
    "娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸"
    "予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授"
    "诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍"
    "凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘"
    "亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞"
    "街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞"
    "圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵碰泪侧"
    # Vocabulary of rule-of-law government reports.
    "依政府建设情况法治推进健全完善落实规范执法监督行政复议诉讼决策审查备案制度机制责任清单"
    "改革服务优化营商环境公开透明权力制约矛盾纠纷化解调解信访普法宣传教育学习习近平思想贯彻"
    "深化强化加强提升坚持全面严格公正文明程序合法性考核评估督察整改负责人第一述职述法"
    "街道镇乡村社区企业群众司法局政务数字化平台信用诚信应急突发事件处置预防风险"
)

# A page that lost its line breaks runs its header into one line ("首页 > … > 年度报告<标题>发布时间：
# 2024-02-27 来源：… 浏览次数：…"): before the first full stop, a line is cut before each of these
# labels and around each 【…】 link, so the header fields fall away as furniture one by one.
RUN_ON_HEADER_LABELS = (
    r"(?:发布时间|发布日期|成文日期|来源|信息来源|文章来源|浏览次数|阅读次数|访问次数|点击数|索引号|"
    r"发布机构|组配分类|主题分类|作者|字体|字号|分享到|标题)\s*[:：]"
)
# …when it opens as a page header does.
RUN_ON_HEADER_START = r"^\s*(?:[-*•]\s*)?(?:首页|当前位置|您当前的位置|您的位置|索引号|无障碍)"

