package domain

import "strings"

// commonPasswordList holds, in lower case, passwords that attackers try
// first against Chinese systems: number runs and repeats, keyboard walks,
// English words, pinyin (names, endearments, places, the office's own
// words) and vendors' defaults. A password is refused when it is one of
// them, or one of them followed by digits and symbols ("Admin@123",
// "Woaini1314!"), or one of them written with look-alike characters
// ("P@ssw0rd"). Compiled for this project from commonly published
// password-frequency findings; not a copy of any list.
const commonPasswordList = `
000000 00000000 0000000000 111111 1111111 11111111 1111111111 112233 11223344 112233445566
121212 12121212 123123 123123123 12341234 123321 123456 1234567 12345678 123456789
1234567890 0123456789 123654 123789 1314520 1314521 13141314 147147 147258 147258369
147852 147852369 159357 159753 159951 201314 222222 22222222 246810 258258 258369
321321 333333 369258 456456 456789 5201314 520520 5211314 521521 52013145201314
555555 55555555 584520 654321 666666 66666666 7758258 7758521 741852963 777777
77777777 789456 789456123 789789 852456 87654321 888888 8888888 88888888 963852741
987654321 9876543210 999999 99999999 110110 120120 119119 12301230 123456123456
1qaz2wsx 1qaz@wsx !qaz2wsx !qaz@wsx 1qaz!qaz !qazxsw2 1qazxsw2 1qaz2wsx3edc zaq12wsx
zaq1@wsx zaq1xsw2 2wsx3edc 3edc4rfv qazwsx qazwsxedc qazxswedc qwaszx 12qwaszx 147qaz
1q2w3e 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r! q1w2e3r4 q1w2e3r4t5 1qw23e 1234qwer
1234rewq 1234abcd 1234asdf qwer1234 qwer!234 qwer@1234 qwert qwert123 12345qwert qwerty
qwerty1 qwerty123 qwertyui qwertyuiop poiuytrewq asdf asdfg asdfgh asdfghjk asdfghjkl
lkjhgfdsa asdf1234 asdfasdf zxcv zxcvb zxcvbn zxcvbnm mnbvcxz zxcv1234 zxcvbnm123
qweasd qweasdzxc qweasd123 123qweasd 123qweasdzxc zxcasdqwe asdzxc asdqwe123 qwe123
qwe123!@# qwe.123 qweqwe qweqweqwe asd123 asdasd asdasdasd zxc123 zxczxc qaz123 wsx123
123qwe 123asd 123abc 123zxc 1a2b3c 1a2b3c4d a1b2c3 a1b2c3d4 0okm9ijn !@#$%^ !@#$%^&*
!@#123 1234!@#$ qaz@123 1qaz@2wsx

password passw0rd p@ssw0rd p@ssword pa$$word p@55w0rd passwd password1 password12
password123 password! password@1 pass pass123 pass1234 pass@123 mypassword secret
letmein letmein1 welcome welcome1 welcome123 iloveyou iloveyou1 whatever trustno1
abc123 abc1234 abc12345 abc123456 abc123123 abcd1234 abcd@1234 abc@123 abc@1234
abc#123 abcdef abcdefg abcdefgh abcd aaaaaa aaaaaaaa aa123456 aa112233 a123456
a12345678 a123456789 a111111 a000000 a123123 aa@123456 a@123456 123456a 123456aa
123456abc 123456qq qq123456 qq1234 qq123 qqqqqq abc888888 iloveyou! 123.com

admin admin1 admin123 admin1234 admin888 admin666 admin999 admin@123 admin@1234
admin#123 admin!@# admin123!@# admin.com adminadmin administrator root root123
root@123 toor system sysadmin manager super superuser supervisor master master123
test test1 test123 test@123 tester testing guest user user123 demo default changeme
temp temppass server service support security backup public private oracle mysql
postgres sqlserver sa linux ubuntu centos windows microsoft google facebook apple
samsung huawei huawei123 huawei@123 sangfor h3c ruijie zte tplink hikvision dahua
cisco juniper

monkey dragon superman batman football baseball basketball soccer hockey princess
sunshine shadow michael jennifer jordan hunter buster charlie tigger starwars
freedom computer internet login access flower hello hello123 hellokitty mustang
michelle jessica ashley nicole daniel thomas robert george summer winter spring
autumn love lovely loveyou killer pepper ginger cheese chocolate banana orange
matrix purple yellow silver golden diamond lucky happy family friend forever
angel baby cookie

woaini woaini1314 woaini520 woaini123 woainima woaiwojia woaini1234 aini1314
aini520 aiwo wojiushiwo wocaonima zhongguo zhonghua china chinese beijing shanghai
chengdu sichuan tianfu shenzhen guangzhou nanjing tianjin chongqing wuhan xian
hangzhou suzhou baobei baobao laopo laogong nihao xiaoxiao xiaoming xiaohong
xiaoqiang xiaoyu xiaolong xiaofeng dongdong tiantian meimei gege jiejie mama baba
wangwei zhangwei wangfang liwei lijing lina zhangmin liuwei wangjing wangli
zhangli liyang wangyong lijun zhangyong wanghui zhangjing liuyang chenjie yangliu
zhaolei huangwei zhoujie wujun xuli sunli zhangjie wangjun liming zhangtao liuyan
chenchen wangyang lixin wangxin zhangxin liuxin yangyang huanghua linlin
haohao junjun lili fangfang jingjing tingting yuanyuan xiaoli sunyang yuchen
yuxin zihan haoran yichen junjie hao123 wangyi baidu taobao alibaba tencent weixin
wechat zhifubao alipay jingdong meituan weibo
dangyuan dangjian dangzhibu zhibu gongchandang gongchan renmin xuexi
xuexiqiangguo qiangguo zhengfu zhengwu bangong danwei gongzuo kaifa ceshi guanli
guanliyuan mima mima123 yonghu denglu zhanghao xitong shuju anquan shenji caiwu
renshi xingzheng liangxin shequ jiedao
`

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(commonPasswordList) {
		m[p] = true
	}
	return m
}()

// trailingNoise is what people append to a word to meet a policy.
const trailingNoise = "0123456789!@#$%^&*.,_-+=?~"

// lookAlikes undoes the usual character substitutions.
var lookAlikes = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t")

// IsCommonPassword reports whether pw (any case) is a common password, or a
// common word of four letters or more with digits and symbols appended, or
// one written with look-alike characters.
func IsCommonPassword(pw string) bool {
	lp := strings.ToLower(pw)
	if commonPasswords[lp] {
		return true
	}
	base := strings.TrimRight(lp, trailingNoise)
	if len(base) < 4 {
		return false
	}
	return commonPasswords[base] || commonPasswords[lookAlikes.Replace(base)] || commonPasswords[strings.TrimRight(lookAlikes.Replace(lp), trailingNoise)]
}
