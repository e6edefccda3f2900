package dev.porta.spi;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that belong to one exchange: a handler sets them for the handlers after it, and observers read
 * them when the exchange is over. This is the one mutable part of an exchange; it is safe to use from
 * any thread.
 *
 * <pre>{@code
 * request.attributes().set(Attributes.USER, "alice");          // access control
 * exchange.attributes().get(Attributes.USER).orElse("-");      // request log
 * }</pre>
 */
public final class Attributes {

    /** The user name that an authentication handler accepted for this request. */
    public static final Key<String> USER = new Key<>("porta.user", String.class);

    /**
     * Set by an authentication handler when a login failed: {@link #LOGIN_FAILED}, or
     * {@link #LOGIN_LOCKED_OUT} when this failure locked the client out (it gets 429 for a while). Absent
     * when no login was tried or it succeeded. For metrics, without importing the handler's plugin. Added
     * after the 1.0.0 baseline (compatibly: the next SPI release is a minor one).
     */
    public static final Key<String> LOGIN = new Key<>("porta.login", String.class);

    /** {@link #LOGIN}'s value for wrong or malformed credentials. */
    public static final String LOGIN_FAILED = "failed";

    /** {@link #LOGIN}'s value for a failed login that locked the client out. */
    public static final String LOGIN_LOCKED_OUT = "locked-out";

    /** Made on the first {@link #set}: most exchanges carry no attribute at all. */
    private volatile Map<Key<?>, Object> values;

    /**
     * A typed attribute name. Keys compare by name and type; declare each as a constant.
     *
     * @param name a unique name, by convention prefixed with the plugin id
     * @param type the type of the value
     * @param <T>  the type of the value
     */
    public record Key<T>(String name, Class<T> type) {
        public Key {
            if (name == null || name.isBlank() || type == null) throw new IllegalArgumentException("bad key");
        }
    }

    /** Sets {@code key} to {@code value}, replacing any earlier value. */
    public <T> void set(Key<T> key, T value) {
        map().put(key, key.type().cast(value));
    }

    /** The value of {@code key}, if set. */
    public <T> Optional<T> get(Key<T> key) {
        Map<Key<?>, Object> m = values;
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(key)).map(key.type()::cast);
    }

    /** Removes {@code key}. */
    public void remove(Key<?> key) {
        Map<Key<?>, Object> m = values;
        if (m != null) m.remove(key);
    }

    private Map<Key<?>, Object> map() {
        Map<Key<?>, Object> m = values;
        if (m == null) {
            synchronized (this) { // no I/O in here: a plain lock is fine on a virtual thread
                m = values;
                if (m == null) {
                    m = new ConcurrentHashMap<>();
                    values = m;
                }
            }
        }
        return m;
    }

    @Override
    public String toString() {
        Map<Key<?>, Object> m = values;
        return "Attributes" + (m == null ? "[]" : m.keySet());
    }
}
