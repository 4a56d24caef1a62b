"""Words and names that tell the level of a reporting body (auditor.level reads them).

Data only. The list of prefecture-level cities (设区的市, which have legislative power
under the Legislation Law, art. 81) is what separates them from county-level cities
(县级市): both are written “…市”, and only the name tells them apart. The list follows the
administrative divisions in force in 2024 (293 prefecture-level cities); a city missing
from it would be taken for county level, so add it here.
"""

from __future__ import annotations

# 北京、天津、上海、重庆: municipalities directly under the central government (province level).
MUNICIPALITIES: frozenset[str] = frozenset({"北京", "天津", "上海", "重庆"})

PROVINCES: frozenset[str] = frozenset({
    "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南",
    "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆",
})

PREFECTURE_CITIES: frozenset[str] = frozenset("""
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水
太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布
沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛
长春 吉林 四平 辽源 通化 白山 松原 白城
哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化
南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁
杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水
合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德
南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽
郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店
武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州
长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底
广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮
南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左
海口 三亚 三沙 儋州
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳
贵阳 六盘水 遵义 安顺 毕节 铜仁
昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧
拉萨 日喀则 昌都 林芝 山南 那曲
西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛
兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南
西宁 海东
银川 石嘴山 吴忠 固原 中卫
乌鲁木齐 克拉玛依 吐鲁番 哈密
""".split())

# Endings of a body's name, longest first, and the level they give. A “…市” is settled by
# PREFECTURE_CITIES; these are the rest. Development zones are county level (their
# management committees exercise county-level government powers).
UNIT_ENDINGS: tuple[tuple[str, str], ...] = (
    ("自治区", "province"),
    ("省", "province"),
    ("自治州", "city"),
    ("地区", "city"),
    ("盟", "city"),
    ("开发区", "county"),
    ("高新区", "county"),
    ("试验区", "county"),
    ("示范区", "county"),
    ("合作区", "county"),
    ("园区", "county"),
    ("新区", "county"),
    ("林区", "county"),
    ("特区", "county"),
    ("自治县", "county"),
    ("自治旗", "county"),
    ("县", "county"),
    ("旗", "county"),
    ("区", "county"),
    ("街道", "township"),
    ("苏木", "township"),
    ("乡", "township"),
    ("镇", "township"),
)

# A body ending in one of these is a department (or a department's branch), unless it is a
# 街道办事处 or a development zone's management committee.
DEPARTMENT_ENDINGS: tuple[str, ...] = (
    "局", "厅", "委员会", "委", "办公室", "办公厅", "办", "署", "中心", "管理处", "支队", "大队",
    "管委会", "站", "所", "院", "队",
)
# Before these a trailing 委 is a Party committee (中共某县委), not a commission.
PARTY_COMMITTEE_AFTER = "省市州盟县区旗乡镇"
ZONE_WORDS: tuple[str, ...] = ("开发区", "高新区", "新区", "园区", "试验区", "示范区", "合作区")
GOVERNMENT_SUFFIXES: tuple[str, ...] = ("人民政府", "行政公署", "政府")
# Stripped from a body's name before it is read: the Party prefix and a department's Party group.
PARTY_PREFIX = "中共"
PARTY_GROUP_SUFFIXES: tuple[str, ...] = ("党组", "党委")

LEVEL_FROM_LABELS: dict[str, str] = {
    "issuer": "推断自发布机关",
    "title": "推断自报告标题",
    "option": "由 --kind 指定",
}
