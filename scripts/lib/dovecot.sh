# Shell helpers for a throwaway Dovecot on 127.0.0.1, used by scripts/demo and scripts/bench.
# Source this file; call dovecot_start DIR and dovecot_stop. Never touches the system
# Dovecot: it has its own config, base_dir, state and log under DIR.

# dovecot_need: installs Dovecot when it is missing (needs root).
dovecot_need() {
    command -v dovecot >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Dovecot is not installed: apt-get install dovecot-imapd (as root)" >&2
        return 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd openssl >/dev/null
}

# free_port: prints a free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# dovecot_start DIR USER... : starts Dovecot with users (password = "secret-USER"),
# plain IMAP on $DOVECOT_PORT and IMAPS on $DOVECOT_TLS_PORT; CA in DIR/ca.pem.
# Optional: DOVECOT_SSL=no serves plain IMAP only, without STARTTLS (DOVECOT_TLS_PORT is then
# empty); DOVECOT_MAIL_DIR=PATH keeps the users' mail in PATH/USER instead of DIR/mail/USER,
# so that two instances can serve the same mail. The PID is in $DOVECOT_PID.
dovecot_start() {
    local dir=$1; shift
    local mail=${DOVECOT_MAIL_DIR:-$dir/mail} ssl=${DOVECOT_SSL:-yes}
    mkdir -p "$dir/run" "$mail" "$dir/state"
    local owner=root uid gid
    if [ "$(id -u)" -eq 0 ]; then
        id imapcrate-test >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin imapcrate-test
        owner=imapcrate-test
    fi
    uid=$(id -u "$owner"); gid=$(id -g "$owner")
    : > "$dir/passwd"
    for user in "$@"; do
        echo "$user:{PLAIN}secret-$user:$uid:$gid::$mail/$user::" >> "$dir/passwd"
        mkdir -p "$mail/$user/Maildir"
    done
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$dir/key.pem" -out "$dir/ca.pem" >/dev/null 2>&1
    DOVECOT_PORT=$(free_port); DOVECOT_TLS_PORT=$(free_port)
    local tls_port=$DOVECOT_TLS_PORT
    if [ "$ssl" = no ]; then DOVECOT_TLS_PORT=; tls_port=0; fi
    cat > "$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
ssl = $ssl
ssl_cert = <$dir/ca.pem
ssl_key = <$dir/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
mail_plugins = \$mail_plugins zlib
mail_fsync = never
first_valid_uid = 0
mail_uid = $uid
mail_gid = $gid
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = $dir/passwd
}
userdb {
  driver = passwd-file
  args = $dir/passwd
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}
protocol imap {
  mail_max_userip_connections = 64
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $tls_port
    ssl = yes
  }
}
CONF
    chown -R "$owner" "$mail"
    dovecot -F -c "$dir/dovecot.conf" >"$dir/dovecot.out" 2>&1 &
    DOVECOT_PID=$!
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$DOVECOT_PORT),1); sys.exit(0 if s.recv(100).startswith(b'* OK') else 1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "Dovecot did not start; its log:" >&2
    tail -n 20 "$dir/dovecot.log" "$dir/dovecot.out" >&2
    return 1
}

# dovecot_stop [PID]: stops the Dovecot this shell started (PID, default $DOVECOT_PID).
dovecot_stop() {
    local pid=${1:-${DOVECOT_PID:-}}
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ "$pid" = "${DOVECOT_PID:-}" ]; then DOVECOT_PID=; fi
}

# dovecot_seed DIR USER FOLDER FILE... : drops message files into USER's Maildir folder
# (FOLDER "INBOX" or a name like "Archive/2024"), delivered as new, unread mail.
dovecot_seed() {
    local dir=$1 user=$2 folder=$3; shift 3
    local base="$dir/mail/$user/Maildir"
    if [ "$folder" != "INBOX" ]; then base="$base/.${folder//\//.}"; fi
    mkdir -p "$base/cur" "$base/new" "$base/tmp"
    local n=0 file
    for file in "$@"; do
        n=$((n + 1))
        cp "$file" "$base/new/$(date +%s).demo$n.$$,S=$(stat -c %s "$file")"
    done
    chown -R "$(stat -c %U "$dir/mail")" "$dir/mail/$user" 2>/dev/null || true
}
