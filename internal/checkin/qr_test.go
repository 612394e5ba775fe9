package checkin

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// decodeQR reads a PNG back with an independent decoder (ZXing's port), as
// a phone's camera would.
func decodeQR(t *testing.T, img []byte) string {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.GetText()
}

// TestQRDecodesToAValidCode: the PNG of an activity's code, decoded by a QR
// reader, verifies as that activity; the same for a member's code.
func TestQRDecodesToAValidCode(t *testing.T) {
	k := newKeys(t)
	acts := margins(k)
	ac, err := acts.Issue(4711, start, end)
	if err != nil {
		t.Fatal(err)
	}
	img, err := PNG(ac.Code, 256)
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := png.DecodeConfig(bytes.NewReader(img)); m.Width != 256 || m.Height != 256 {
		t.Errorf("size %dx%d", m.Width, m.Height)
	}
	text := decodeQR(t, img)
	if text != ac.Code {
		t.Fatalf("decoded %q, want %q", text, ac.Code)
	}
	if got, err := acts.Verify(text, start); err != nil || got.ActivityID != 4711 {
		t.Fatalf("decoded code: %+v %v", got, err)
	}

	members := MemberCodes{Keys: k}
	mc, _ := members.Issue(99, start)
	img, err = PNG(mc.Code, MinQRSize*2)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := members.Verify(decodeQR(t, img), start); err != nil || id != 99 {
		t.Fatalf("member code: %d %v", id, err)
	}
}

func TestPNGRejects(t *testing.T) {
	for name, f := range map[string]func() ([]byte, error){
		"empty":     func() ([]byte, error) { return PNG("", 256) },
		"too long":  func() ([]byte, error) { return PNG(strings.Repeat("A", maxCodeLen+1), 256) },
		"too small": func() ([]byte, error) { return PNG("A1AAAA", MinQRSize-1) },
		"too large": func() ([]byte, error) { return PNG("A1AAAA", MaxQRSize+1) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
