package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
)

const userUsage = `用法:
  lianxin user create --username NAME --name 姓名 --role ROLE [--party-org ID] --password PW
  lianxin user reset-password --username NAME --password PW
  lianxin user unlock --username NAME
  lianxin user reset-totp --username NAME   （或 lianxin user reset-totp NAME）
角色: sysadmin secadmin auditor city_staff district_staff committee_staff org_staff
不指定 --party-org 时绑定到根党组织（全市）；数据库中尚无党组织时自动建立根党组织。
reset-totp 重置账号的双因素认证（手机丢失时；三员账号只能这样重置），结束其会话，记入审计日志。`

func cmdUser(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return exitError{2, userUsage}
	}
	var f dbFlags
	var username, name, role, password string
	var orgID int64
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	f.register(fs)
	fs.StringVar(&username, "username", "", "用户名")
	switch args[0] {
	case "create":
		fs.StringVar(&name, "name", "", "姓名")
		fs.StringVar(&role, "role", "", "角色")
		fs.Int64Var(&orgID, "party-org", 0, "所属党组织编号（数据范围）")
		fs.StringVar(&password, "password", "", "初始密码（首次登录须修改）")
	case "reset-password":
		fs.StringVar(&password, "password", "", "新密码（下次登录须修改）")
	case "unlock", "reset-totp":
	default:
		return exitError{2, "未知的 user 子命令 " + args[0] + "\n" + userUsage}
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if args[0] == "reset-totp" && username == "" && fs.NArg() > 0 {
		// The account named first, options after it.
		username = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	s, now, err := openMigrated(ctx, &f)
	if err != nil {
		return err
	}
	defer s.Close()
	// The shell is the one way to create and recover the 三员 accounts; its
	// records name it, with the operating-system user who ran the command.
	c := store.System(now, "cli")
	c.Actor.UserAgent = shellActor("user " + args[0])
	u, err := s.Accounts.UserByUsername(ctx, strings.ToLower(username))
	if args[0] != "create" {
		if err != nil {
			return fmt.Errorf("账号 %q 不存在", username)
		}
	}
	settings, err := s.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	switch args[0] {
	case "create":
		v := &domain.ValidationError{}
		v.Merge(domain.ValidateUsername(username))
		v.Merge(domain.ValidateDisplayName(name))
		v.Merge(domain.ValidateRoles([]domain.Role{domain.Role(role)}))
		v.Merge(settings.CheckPassword("password", password, username))
		if err := v.Err(); err != nil {
			return err
		}
		if orgID == 0 {
			if orgID, err = rootOrg(ctx, s, c); err != nil {
				return err
			}
		}
		hash, err := auth.HashPassword(password, auth.DefaultParams)
		if err != nil {
			return err
		}
		nu, err := s.Accounts.CreateUser(ctx, c, accounts.NewUser{Username: username, DisplayName: name, PartyOrgID: orgID, Roles: []domain.Role{domain.Role(role)}, PasswordHash: hash, MustChange: true})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已创建账号 %s（编号 %d，%s），首次登录须修改密码\n", nu.Username, nu.ID, domain.Role(role).Name())
	case "reset-password":
		if err := settings.CheckPassword("password", password, u.Username); err != nil {
			return err
		}
		if err := auth.CheckNotReused(ctx, s, u.ID, "password", password); err != nil {
			return err
		}
		hash, err := auth.HashPassword(password, auth.DefaultParams)
		if err != nil {
			return err
		}
		if err := s.Accounts.SetPassword(ctx, c, u.ID, hash, true, audit.ActionResetPassword, ""); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已重置账号 %s 的密码，下次登录须修改\n", u.Username)
	case "unlock":
		if err := s.Accounts.UnlockUser(ctx, c, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已解锁账号 %s\n", u.Username)
	case "reset-totp":
		if err := s.Accounts.ResetTOTP(ctx, c, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已重置账号 %s 的双因素认证并结束其会话；下次登录只凭密码，其角色要求双因素认证时须重新绑定\n", u.Username)
	}
	return nil
}

// shellActor describes a command run on the server's shell for the audit
// trail: the command and the operating-system user.
func shellActor(command string) string {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if name == "" {
		name = "未知"
	}
	return "命令行 lianxin " + command + "（操作系统用户 " + name + "）"
}

// rootOrg returns the tree's root, creating the city work committee when the
// tree is empty (the first account of a new deployment).
func rootOrg(ctx context.Context, s *stores.Set, c store.Caller) (int64, error) {
	items, _, err := s.Registry.ListPartyOrgs(ctx, store.ScopeAll, registry.PartyOrgFilter{Sort: "path", Page: store.Page{Size: 1}})
	if err != nil {
		return 0, err
	}
	if len(items) > 0 {
		return items[0].ID, nil
	}
	name, typ, region := "中共成都市委两新工委", string(domain.WorkCommittee), domain.ChengduCode
	o, err := s.Registry.CreatePartyOrg(ctx, c, nil, domain.PartyOrgInput{Name: &name, Type: &typ, Region: &region})
	return o.ID, err
}
