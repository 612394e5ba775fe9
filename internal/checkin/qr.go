package checkin

import (
	"errors"

	qrcode "github.com/skip2/go-qrcode"
)

// MinQRSize and MaxQRSize bound the side of a QR image in pixels: below 64
// a phone struggles, and an A4 poster at 300 dpi needs no more than 2400.
const (
	MinQRSize = 64
	MaxQRSize = 2400
)

// PNG draws code as a QR symbol in a square PNG of size pixels, with the
// quiet zone the standard requires. Error correction is level M (15 %): a
// poster may be creased or stained, while level H would make the symbol
// denser and harder to read from a distance.
func PNG(code string, size int) ([]byte, error) {
	if code == "" || len(code) > maxCodeLen {
		return nil, errors.New("checkin: no code to draw")
	}
	if size < MinQRSize || size > MaxQRSize {
		return nil, errors.New("checkin: QR image size out of range")
	}
	return qrcode.Encode(code, qrcode.Medium, size)
}
