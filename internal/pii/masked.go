package pii

// Masked is personal data as it may be shown: its mask and nothing else.
// The mask is made when the value is built (MaskedIDNumber, MaskedPhone)
// and no code outside this package can put another string in it, so a read
// model whose personal data is Masked cannot carry the plain value to an
// answer, an export, a history entry or a log, however it is encoded. In
// JSON (through MarshalText) it is the mask as a string.
type Masked struct{ mask string }

// MaskedIDNumber is an ID number as shown (MaskIDNumber).
func MaskedIDNumber(plain string) Masked { return Masked{MaskIDNumber(plain)} }

// MaskedPhone is a phone number as shown (MaskPhone).
func MaskedPhone(plain string) Masked { return Masked{MaskPhone(plain)} }

// String is the mask.
func (m Masked) String() string { return m.mask }

// MarshalText is the mask: encoding/json writes it as a JSON string.
func (m Masked) MarshalText() ([]byte, error) { return []byte(m.mask), nil }
