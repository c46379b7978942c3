package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"encoding/json"
	"time"
	"unsafe"
)

// Profile is what the service has learnt of a user, copied out of
// libsynap: a plain value, safe to keep and share.
type Profile struct {
	// Overview is the free-text overview.
	Overview *string
	// Attributes are the profile's attributes, in the order sent; never
	// nil.
	Attributes []ProfileAttribute
	// JSON is the whole profile document; nil when absent.
	JSON json.RawMessage
}

// ProfileAttribute is one thing a profile records, e.g. preferred_name.
type ProfileAttribute struct {
	// Name is the attribute's name.
	Name *string
	// Value is its value as JSON (a string keeps its quotes); nil when
	// absent.
	Value json.RawMessage
	// Confidence is how sure the service is.
	Confidence *float64
	// UpdatedAt is when it last changed, UTC.
	UpdatedAt *time.Time
	// SourceConversationID is the conversation it was learnt in.
	SourceConversationID *string
}

// UserProfile reads what the service has learnt of a user
// (GET /v1/users/{user_id}/profile). userID may hold any text ("/", "?"
// and "#" included): it reaches the service intact. customerID is the
// user's customer on a B2B instance; "" sends none. A user with no
// profile yet is ErrNotFound. If ctx ends first, UserProfile returns its
// error at once, as MemoryStatus does.
func (c *Client) UserProfile(ctx context.Context, userID, customerID string) (*Profile, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	user := m.str("user id", userID)
	customer := m.optional("customer id", customerID)
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*Profile, error) {
		defer m.free()
		return c.userProfile(user, customer)
	})
}

func (c *Client) userProfile(user, customer *C.char) (*Profile, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapProfile
	var view C.synapgo_profile
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_user_profile(c.handle, user, customer, &out, &view, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_profile_release(out, &view)
	return copyProfile(&view), nil
}

// copyProfile reads every field of a profile view; the caller still owns
// it.
func copyProfile(v *C.synapgo_profile) *Profile {
	attributes := unsafe.Slice(v.attributes, int(v.attribute_count))
	out := &Profile{
		Overview:   optionalString(v.overview),
		Attributes: make([]ProfileAttribute, len(attributes)),
		JSON:       rawJSON(v.json),
	}
	for i := range attributes {
		a := &attributes[i]
		out.Attributes[i] = ProfileAttribute{
			Name:                 optionalString(a.name),
			Value:                rawJSON(a.value_json),
			Confidence:           optionalFloat(a.has_confidence, a.confidence),
			UpdatedAt:            optionalTime(a.has_updated_at, a.updated_at_us),
			SourceConversationID: optionalString(a.source_conversation_id),
		}
	}
	return out
}
