package synap

// #include "shim.h"
import "C"

import "context"

// Identity is the account behind a client's API key, as Whoami read it.
// Absent values are nil.
type Identity struct {
	// ClientID is the account's id.
	ClientID *string
	// InstanceID is the id of the instance the key belongs to.
	InstanceID *string
	// UserContextIsolation is how the instance separates users:
	// "equals_customer" on a B2C instance, where each customer is one user.
	UserContextIsolation *string
}

// IsB2C reports whether the instance is B2C, where a CreateRequest may not
// set CustomerID.
func (i *Identity) IsB2C() bool {
	return i.UserContextIsolation != nil && *i.UserContextIsolation == "equals_customer"
}

// Whoami asks which account the client's API key belongs to. It also
// checks the key and URL without side effects. Once it has answered, the
// client's later requests carry the client and instance ids, as the
// service's own SDK sends them, and on a B2C instance Create refuses a
// CustomerID before any request. If ctx ends first, Whoami returns its
// error at once, as MemoryStatus does.
func (c *Client) Whoami(ctx context.Context) (*Identity, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	return inBackground(ctx, c.whoami)
}

func (c *Client) whoami() (*Identity, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapIdentity
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_whoami(c.handle, &out, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_identity_free(out)
	return &Identity{
		ClientID:             optionalString(C.synap_identity_client_id(out)),
		InstanceID:           optionalString(C.synap_identity_instance_id(out)),
		UserContextIsolation: optionalString(C.synap_identity_user_context_isolation(out)),
	}, nil
}
