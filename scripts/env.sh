# Sourced by the run scripts: loads ./.env without overriding variables already set in the
# environment (the environment wins, as in config/settings.py). Lines are NAME=value, # comments.
if [ -f .env ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | \#*) continue ;; esac
    name=${line%%=*}
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    [ -n "${!name+x}" ] || export "$line"
  done <.env
fi
