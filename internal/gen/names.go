package gen

// Word lists for realistic synthetic names. Nothing here names a real
// organization or person; combinations are random.

var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余",
	"杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "沈", "姚", "卢", "傅", "钟", "姜", "崔", "谭", "廖", "范", "汪", "陆",
	"欧阳", "司马",
}

var givenChars = []string{
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
	"刚", "桂", "英", "华", "玲", "建", "国", "志", "红", "鹏", "辉", "宇", "浩", "婷", "雪", "琳", "晨", "欣", "悦", "博",
	"文", "斌", "凯", "佳", "俊", "蓉", "川", "岷", "锦", "诚", "毅", "睿", "涵", "瑶", "思", "雨", "晓", "天", "海", "春",
}

// Trade names (字号) are built from two of these. District names are left
// out so that a name never suggests the wrong district (tests rely on it).
var tradeChars = []string{
	"天府", "蓉城", "锦城", "华西", "金沙", "芙蓉", "银杏", "岷江", "青城", "蜀道", "浣花", "宽窄", "望江",
	"东郊", "西岭", "天回", "凤凰", "玉林", "星河", "启明", "恒信", "汇通", "鼎盛", "兴业", "中和", "瑞丰",
	"博瑞", "卓远", "新锐", "宏达", "盛世", "聚源", "通达", "安泰", "嘉禾", "云帆",
}

var enterpriseKinds = []string{
	"科技有限公司", "信息技术有限公司", "软件有限公司", "物流有限公司", "餐饮管理有限公司", "建筑工程有限公司", "商贸有限公司",
	"文化传媒有限公司", "医药有限公司", "电子有限公司", "物业管理有限公司", "网络科技有限公司", "生物科技有限公司",
	"智能装备有限公司", "供应链管理有限公司", "新能源科技有限公司", "食品有限公司", "汽车服务有限公司", "检测技术有限公司",
	"人力资源服务有限公司",
}

var socialOrgKinds = []string{
	"社会工作服务中心", "行业协会", "商会", "志愿者协会", "养老服务中心", "培训学校", "民办幼儿园", "文化艺术交流协会",
	"青少年发展服务中心", "社区发展基金会", "医院", "律师事务所", "会计师事务所",
}

// Industry committees of a district (行业党委).
var industryCommittees = []string{
	"快递物流行业党委", "律师行业党委", "数字经济行业党委", "会计师行业党委", "民办教育行业党委", "民办医疗机构行业党委",
	"餐饮行业党委", "建筑业行业党委", "互联网行业党委", "物业服务行业党委",
}

// Area committees of a district (综合党委), besides one per street.
var areaCommittees = []string{
	"社会组织综合党委", "商务楼宇综合党委", "产业园区综合党委", "专业市场综合党委", "商圈综合党委",
}

// streetWords name roads and community service centres in addresses:
// common words, no real place's name (a street of one district must not
// read as another's). Its length is the one the generator's draws were
// made with (the count of its picks stays), so the data is unchanged.
var streetWords = []string{
	"建设", "人民", "新华", "和平", "文化", "光明", "迎宾", "滨河", "长兴", "兴业", "育才", "学府", "花园", "翠柳",
	"青松", "红星", "胜利", "友谊", "幸福", "团结", "振兴", "繁荣", "康宁", "安居", "乐业", "致远", "明德", "崇文",
	"尚德", "新风", "启航", "晨光", "朝阳", "东风", "西湖", "南苑", "北辰", "中心", "环城", "滨江", "锦绣", "金桂",
	"银杏", "玉兰", "紫荆", "梧桐", "海棠", "芙蓉", "桂花", "丁香", "樱花", "荷塘", "柳岸", "竹林", "梅园", "兰亭",
	"菊园", "松柏", "枫林",
}

var zoneWords = map[string][]string{
	"park":     {"科技园", "产业园", "创新创业园", "智造园", "文创园"},
	"building": {"国际金融中心", "商务大厦", "中心大楼", "广场写字楼", "总部大厦"},
	"market":   {"农产品批发市场", "建材市场", "小商品市场", "汽配市场", "茶叶市场"},
	"tod":      {"TOD综合体"},
	"complex":  {"商业综合体", "社区综合体"},
}

// districtUsers are the login names of the district-level work committees'
// staff (pinyin), in the order of domain.ChengduDistricts then the zones.
var districtUsers = []string{
	"jinjiang", "qingyang", "jinniu", "wuhou", "chenghua", "longquanyi", "qingbaijiang", "xindu", "wenjiang", "shuangliu",
	"pidu", "xinjin", "jintang", "dayi", "pujiang", "dujiangyan", "pengzhou", "qionglai", "chongzhou", "jianyang",
	"tianfu", "gaoxin", "dongbu",
}
