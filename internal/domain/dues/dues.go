// Package dues holds the rules of 党费 (中组部《关于中国共产党党费收缴、
// 使用和管理的规定》, 2008): the monthly due of each category of member from
// the income base, the rounding, and what counts as arrears. Amounts are
// integers in 分 (fen).
package dues

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// Category is how a member's monthly due is set.
type Category string

// The categories of the 2008 rules.
const (
	InService    Category = "in_service"    // 按月领取工资: after-tax fixed and regular pay (第二条)
	AnnualSalary Category = "annual_salary" // 年薪制: the pay actually received that month (第三条)
	SelfEmployed Category = "self_employed" // 个体经营者等: the previous quarter's average monthly net income (第四条)
	Retired      Category = "retired"       // 离退休: the whole pension
	Farmer       Category = "farmer"        // 农民党员: 0.2–1 元 a month
	Student      Category = "student"       // 学生: 0.2 元
	Unemployed   Category = "unemployed"    // 下岗失业: 0.2 元
	Relief       Category = "relief"        // 依靠抚恤、救济或低保: 0.2 元
)

// Categories names the categories, in the order a form offers them.
var Categories = domain.CodeList{
	{Code: string(InService), Name: "在职（按月领取工资）"},
	{Code: string(AnnualSalary), Name: "年薪制"},
	{Code: string(SelfEmployed), Name: "个体经营等（上季度月平均纯收入）"},
	{Code: string(Retired), Name: "离退休"},
	{Code: string(Farmer), Name: "农民"},
	{Code: string(Student), Name: "学生"},
	{Code: string(Unemployed), Name: "下岗失业"},
	{Code: string(Relief), Name: "依靠抚恤、救济或低保"},
}

// bracket is a rate, in basis points, for a base up to and including
// upTo 分 (0: no upper bound). The boundaries are inclusive at the top:
// 3,000 元 exactly pays 0.5%.
type bracket struct {
	upTo int64
	bp   int64
}

// The brackets on a monthly income (在职, 年薪制, 个体经营) and on a pension.
var (
	incomeBrackets  = []bracket{{300000, 50}, {500000, 100}, {1000000, 150}, {0, 200}}
	pensionBrackets = []bracket{{500000, 50}, {0, 100}}
)

// Fixed monthly dues, in 分.
const (
	// MinimumFen is the 0.2 元 of students, the unemployed, members on
	// relief, and the least a farmer pays.
	MinimumFen int64 = 20
	// FarmerMaxFen is the most the rules set for a farmer (1 元); more is
	// a voluntary payment.
	FarmerMaxFen int64 = 100
	// LargeVoluntaryFen: a single voluntary payment of 1,000 元 or more is
	// passed up whole to the 中央 (第十一条).
	LargeVoluntaryFen int64 = 100000
	// ArrearsMonths: six months in a row unpaid without good reason is
	// treated by the Party constitution as leaving the Party (自行脱党);
	// the system raises it for a decision, never changes a status itself.
	ArrearsMonths = 6
	// ArrearsWarningMonths: the reminder before that.
	ArrearsWarningMonths = 3
	// MaxBaseFen bounds the base a form accepts (10,000,000 元 a month).
	MaxBaseFen int64 = 1_000_000_000
)

// Rounding is the unit a computed due is rounded to (local practice
// differs: a setting).
type Rounding string

// The roundings: to the 分, or to the 角 (0.1 元). Halves round up.
const (
	RoundFen  Rounding = "fen"
	RoundJiao Rounding = "jiao"
)

// Roundings names them.
var Roundings = domain.CodeList{
	{Code: string(RoundFen), Name: "精确到分"},
	{Code: string(RoundJiao), Name: "精确到角"},
}

// Quote is what Due answers: the monthly due and how it was reached.
type Quote struct {
	DueFen int64 `json:"due_fen"`
	// RateBP is the rate applied to the base in basis points (50 = 0.5%),
	// 0 for a fixed amount.
	RateBP int64 `json:"rate_bp"`
	// Basis says in words how the due was set.
	Basis string `json:"basis"`
}

// Input is what a due is computed from.
type Input struct {
	Category Category
	// BaseFen is the monthly base in 分: after-tax pay, the month's annual
	// salary, the previous quarter's average net income, or the pension.
	// Unused by the fixed categories.
	BaseFen int64
	// DeclaredFen is a farmer's monthly amount as the branch set it
	// (20–100 分); 0 means the least.
	DeclaredFen int64
	Rounding    Rounding
}

// Due computes the monthly due. Errors are field errors (category,
// base_fen, declared_fen, rounding) with a Chinese message.
func Due(in Input) (Quote, error) {
	rounding := in.Rounding
	if rounding == "" {
		rounding = RoundFen
	}
	if !Roundings.Has(string(rounding)) {
		return Quote{}, domain.FieldError("rounding", "党费取整方式应为精确到分或精确到角")
	}
	switch in.Category {
	case InService, AnnualSalary, SelfEmployed, Retired:
		if in.BaseFen < 0 || in.BaseFen > MaxBaseFen {
			return Quote{}, domain.FieldError("base_fen", "计算基数应为0至1000万元之间的金额（以分为单位）")
		}
		brackets, basis := incomeBrackets, "月收入"
		if in.Category == Retired {
			brackets, basis = pensionBrackets, "离退休费"
		}
		bp := rate(brackets, in.BaseFen)
		return Quote{DueFen: round(in.BaseFen*bp, rounding), RateBP: bp, Basis: basis + "×" + percent(bp)}, nil
	case Student, Unemployed, Relief:
		return Quote{DueFen: MinimumFen, Basis: "每月0.2元"}, nil
	case Farmer:
		d := in.DeclaredFen
		if d == 0 {
			d = MinimumFen
		}
		if d < MinimumFen || d > FarmerMaxFen {
			return Quote{}, domain.FieldError("declared_fen", "农民党员每月党费应为0.2元至1元")
		}
		return Quote{DueFen: d, Basis: "每月0.2元至1元，由党支部确定"}, nil
	}
	return Quote{}, domain.FieldError("category", "请选择党员的交纳类别")
}

func rate(brackets []bracket, base int64) int64 {
	for _, b := range brackets {
		if b.upTo == 0 || base <= b.upTo {
			return b.bp
		}
	}
	return brackets[len(brackets)-1].bp
}

// round turns base×bp (in 分 × basis points) into 分 at the unit, halves up.
func round(v int64, r Rounding) int64 {
	unit := int64(10000) // basis points per 分
	if r == RoundJiao {
		unit *= 10
	}
	return (v + unit/2) / unit * (unit / 10000)
}

// percent writes basis points as a percentage: 50 → "0.5%".
func percent(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if f := bp % 100; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%02d", f), "0")
	}
	return s + "%"
}

// MonthsOwed is how many months before the current one are unpaid, given
// the last month paid (YYYY-MM, "" when none) and the month the member's
// dues began: the current month is not yet late.
func MonthsOwed(lastPaid, began, current string) (int, error) {
	from := began
	// A payment before the dues began (an earlier membership) counts as none.
	if lastPaid != "" && lastPaid >= began {
		next, err := addMonth(lastPaid, 1)
		if err != nil {
			return 0, err
		}
		from = next
	}
	n, err := monthsBetween(from, current)
	if err != nil || n < 0 {
		return 0, err
	}
	return n, nil
}

// Arrears is what months owed amount to: nothing, a reminder (3 months),
// or the six-month case the constitution treats as leaving the Party,
// raised for the branch to act on — never a change of status by itself.
func Arrears(owed int) string {
	switch {
	case owed >= ArrearsMonths:
		return "lapse"
	case owed >= ArrearsWarningMonths:
		return "warning"
	}
	return ""
}

func parseMonth(m string) (y, mo int, err error) {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return 0, 0, domain.FieldError("month", "月份应为YYYY-MM")
	}
	return t.Year(), int(t.Month()), nil
}

func addMonth(m string, n int) (string, error) {
	y, mo, err := parseMonth(m)
	if err != nil {
		return "", err
	}
	return time.Date(y, time.Month(mo)+time.Month(n), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), nil
}

func monthsBetween(from, to string) (int, error) {
	y1, m1, err := parseMonth(from)
	if err != nil {
		return 0, err
	}
	y2, m2, err := parseMonth(to)
	if err != nil {
		return 0, err
	}
	return (y2-y1)*12 + m2 - m1, nil
}
