"""deploy/ (Dockerfile, docker-compose.yml, nginx.conf, Helm values) in step with the profile.

None of these files can run on our CI machines (no Docker daemon, no Kubernetes, no internet
beyond the package registries), so this test holds them to what the profile that IS tested
(production/stack.py, production/settings.env, production/endpoints.yml, tests/production/) does:

- every environment variable they set is one the process it reaches actually reads: found in the
  code itself (os.environ / env / settings look-ups and the channels' REQUIRED / OPTIONAL names in
  the modules that process imports, `${VAR}` in the endpoints file, the command it runs), or in
  Rasa's / rasa-sdk's installed source, or in the documented variables of the third-party images;
- every variable of production/settings.env that a process reads is set for it, with the same
  default (host names point at the compose services instead of 127.0.0.1), and the secrets have
  no default and no value at all;
- the Rasa servers run `python -m serving run` with the profile's arguments, the action servers
  the profile's command, with RASA_REPLICAS / ACTION_REPLICAS replicas;
- deploy/nginx.conf has production/nginx.py's upstreams, balancing and timeouts.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
from contextlib import suppress
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import yaml_io
from production import nginx as production_nginx
from production import stack

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"  # read at call time (a scratch copy can stand in for it)
HELM = {"rasa": "rasa-values.yml", "actions": "rasa-action-server-values.yml"}

SECRETS = {"DB_PASSWORD", "REDIS_PASSWORD", "RASA_API_TOKEN", "SENDER_ID_KEY"}
# settings.env's addresses are this machine's; in compose they are the services' names.
COMPOSE_ADDRESSES = {"DB_HOST": "postgres", "REDIS_HOST": "redis", "ACTION_ENDPOINT_URL": "nginx"}
LOCAL = {"127.0.0.1", "localhost", "::1"}
# The only variables the third-party images read that compose may set, each fed from the
# application's own variable (their images' documentation: docker-library postgres, the nginx
# image's /docker-entrypoint.d/20-envsubst-on-templates.sh). Redis reads none; its command does.
IMAGE_VARIABLES = {
    "postgres": {"POSTGRES_DB": "DB_NAME", "POSTGRES_USER": "DB_USER",
                 "POSTGRES_PASSWORD": "DB_PASSWORD"},
    "nginx": {"NGINX_ENVSUBST_OUTPUT_DIR": None},
    "redis": {},
}
APP_SERVICES = ("rasa", "actions", "console")
PROJECT_PACKAGES = ("actions", "channels", "clinic", "console", "nlp", "privacy", "production",
                    "rasa_components", "safety", "serving", "web")
NAME = re.compile(r"[A-Z][A-Z0-9_]*")


# --- reading the files ----------------------------------------------------------------------------
@cache
def _yaml(path: Path) -> dict:
    return yaml_io.load(path.read_text(encoding="utf-8"))


def compose() -> dict:
    return _yaml(DEPLOY / "docker-compose.yml")


def helm(kind: str) -> dict:
    return _yaml(DEPLOY / "helm" / HELM[kind])


def settings() -> dict[str, str]:
    """production/settings.env's defaults, read by the profile's own reader."""
    return stack.read_settings(stack.SETTINGS_FILE, env={})


def service_kind(name: str, service: dict) -> str:
    """Which process a compose service runs: rasa, actions, console, or a third-party image."""
    if "build" in service:
        assert name in APP_SERVICES, f"{name!r} builds the app image but is none of {APP_SERVICES}"
        return name
    image = service["image"].split(":")[0].rsplit("/", 1)[-1]
    assert image in IMAGE_VARIABLES, f"compose service {name!r}: unknown image {service['image']!r}"
    return image


def compose_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(key): "" if value is None else str(value) for key, value in env.items()}


def helm_env(kind: str) -> list[dict]:
    return helm(kind).get("extraEnv") or []


def command_text(kind: str, where: str) -> str:
    """The command a process runs, as one shell-like string ($$ in compose is the shell's $)."""
    if where == "compose":
        command = compose()["services"][kind]["command"]
        command = command if isinstance(command, list) else shlex.split(command)
        text = command[2] if command[:2] == ["sh", "-c"] else shlex.join(command)
        return text.replace("$$", "$")
    values = helm(kind)
    command, args = list(values.get("command") or []), list(values.get("args") or [])
    return args[0] if command == ["sh", "-c"] else shlex.join(command + args)


def command_variables(text: str) -> set[str]:
    """Variables a command's shell (or Kubernetes' $(VAR)) expands."""
    return set(re.findall(r"\$\{?\(?([A-Z][A-Z0-9_]*)", text))


# --- compose's ${VAR:-default} interpolation ------------------------------------------------------
class Missing(Exception):
    pass


def _closing_brace(text: str, start: int) -> int:
    """The index of the } that closes the ${ at start."""
    depth, j = 1, start + 2
    while depth:
        assert j < len(text), f"unclosed ${{ in {text!r}"
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        j += 1
    return j - 1


def interpolate(text: str, env: dict[str, str], refs: list | None = None) -> str:
    """Compose's interpolation of one string: $$, $VAR, ${VAR}, ${VAR:-x}, ${VAR-x}, ${VAR:?x},
    ${VAR?x}, ${VAR:+x}, ${VAR+x}, nested defaults; (name, operator, argument) go into refs."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            j = _closing_brace(text, i) + 1
            match = re.fullmatch(r"([A-Za-z_]\w*)(?:(:?[-?+])(.*))?", text[i + 2:j - 1], re.S)
            assert match, f"not a compose variable: {text[i:j]!r}"
            name, op, arg = match.group(1), match.group(2) or "", match.group(3) or ""
            if refs is not None:
                refs.append((name, op, arg))
            value, is_set = env.get(name, ""), name in env
            if op in (":-", "-"):
                empty = not value if op == ":-" else not is_set
                out.append(interpolate(arg, env, refs) if empty else value)
            elif op in (":?", "?"):
                interpolate(arg, env, refs)
                if not value if op == ":?" else not is_set:
                    raise Missing(name)
                out.append(value)
            elif op in (":+", "+"):
                present = value if op == ":+" else is_set
                out.append(interpolate(arg, env, refs) if present else "")
            else:
                out.append(value)
            i = j
        elif (match := re.match(r"\$([A-Za-z_]\w*)", text[i:])):
            if refs is not None:
                refs.append((match.group(1), "", ""))
            out.append(env.get(match.group(1), ""))
            i += match.end()
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def default_of(text: str) -> str:
    """A compose value with nothing set in the environment (a secret raises Missing)."""
    return interpolate(text, {})


def whole_reference(text: str) -> tuple[str, str, str]:
    """The one ${VAR...} a value consists of (name, operator, argument)."""
    assert text.startswith("${") and _closing_brace(text, 0) == len(text) - 1, \
        f"{text!r} is not a single ${{VAR...}}"
    refs: list = []
    with suppress(Missing):
        interpolate(text, {}, refs)
    return refs[0]


def compose_strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in compose_strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in compose_strings(value)]
    return [node] if isinstance(node, str) else []


def compose_references() -> list[tuple[str, str, str]]:
    refs: list = []
    for text in compose_strings(compose()):
        with suppress(Missing):
            interpolate(text, {}, refs)
    return refs


# --- what the application reads -------------------------------------------------------------------
def _strings(node: ast.AST) -> set[str]:
    """String constants of a tuple/list/set literal, or a dict literal's keys."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = node.elts
    elif isinstance(node, ast.Dict):
        items = node.keys
    else:
        return set()
    return {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _first_string(call: ast.Call) -> str | None:
    arg = call.args[0] if call.args else None
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


# os.environ, a mapping passed as `env`, WSGI's `environ`, the profile's `settings`
MAPPINGS = {"environ", "env", "settings"}


@cache
def file_reads(path: Path) -> frozenset[str]:
    """Variable names one Python file reads from the environment or the profile's settings."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in {"get", "setdefault", "pop"}
                    and _name(func.value) in MAPPINGS) or _name(func) == "getenv":
                names.add(_first_string(node) or "")
            elif _name(func) == "read_env":  # channels/common.py: read_env(required, optional)
                for arg in node.args:
                    names |= _strings(arg)
        elif isinstance(node, ast.Subscript) and _name(node.value) in MAPPINGS:
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                names.add(node.slice.value)
        elif isinstance(node, ast.ClassDef):  # the channels' REQUIRED / OPTIONAL variables
            for statement in node.body:
                targets = (statement.targets if isinstance(statement, ast.Assign)
                           else [statement.target] if isinstance(statement, ast.AnnAssign) else [])
                if any(_name(t) in {"REQUIRED", "OPTIONAL"} for t in targets) and statement.value:
                    names |= _strings(statement.value)
    return frozenset(n for n in names if NAME.fullmatch(n))


def _module_file(module: str) -> Path | None:
    path = ROOT.joinpath(*module.split("."))
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return path / "__init__.py" if (path / "__init__.py").is_file() else None


def _imports(path: Path, module: str) -> list[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(p for p in [*parent, base] if p)
            found += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return found


@cache
def project_closure(modules: tuple[str, ...]) -> frozenset[Path]:
    """The project's files that importing these modules runs (packages' __init__ included); a
    dotted name may end in a class name (config.yml, credentials.yml)."""
    seen: set[Path] = set()
    todo = list(modules)
    while todo:
        parts = todo.pop().split(".")
        while parts and _module_file(".".join(parts)) is None:
            parts.pop()
        if not parts or parts[0] not in PROJECT_PACKAGES:
            continue
        for k in range(1, len(parts) + 1):
            module = ".".join(parts[:k])
            path = _module_file(module)
            if path and path not in seen:
                seen.add(path)
                todo += _imports(path, module)
    return frozenset(seen)


def _dotted_names(node) -> list[str]:
    """Module paths in a config file: dotted keys (credentials.yml) and dotted values."""
    if isinstance(node, dict):
        return [*(k for k in node if isinstance(k, str) and "." in k),
                *(n for v in node.values() for n in _dotted_names(v))]
    if isinstance(node, list):
        return [n for v in node for n in _dotted_names(v)]
    return [node] if isinstance(node, str) and re.fullmatch(r"[a-z_]+(\.\w+)+", node) else []


@cache
def process_modules(kind: str) -> tuple[str, ...]:
    """What each process imports first: the Rasa server its entry point and every module its
    config, credentials and endpoints name; the action server the whole `actions` package; the
    console every module of `console` (the app and its commands run in that container)."""
    if kind == "rasa":
        named = [n for name in ("config.yml", "credentials.yml", "production/endpoints.yml")
                 for n in _dotted_names(_yaml(ROOT / name))]
        return ("serving.__main__", *named)
    package = ROOT / kind
    return tuple(".".join(p.relative_to(ROOT).with_suffix("").parts)
                 for p in sorted(package.rglob("*.py")) if "node_modules" not in p.parts)


def endpoint_variables(path: Path) -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", path.read_text(encoding="utf-8")))


def template_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", (DEPLOY / "nginx.conf").read_text()))


@cache
def _package_source(package: str) -> str:
    origin = importlib.util.find_spec(package).origin  # found, not imported
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted(Path(origin).parent.rglob("*.py")))


LOOKUP = r"(?:environ\.get|environ\.setdefault|environ\.pop|getenv)\(\s*|environ\[\s*"


@cache
def package_reads(package: str) -> frozenset[str]:
    """The variables an installed package (rasa, rasa_sdk) looks up: as a literal, or through a
    constant whose value is the literal (rasa/core/constants.py's POSTGRESQL_SCHEMA, ...)."""
    source = _package_source(package)
    literals = set(re.findall(rf"(?:{LOOKUP})[\"']([A-Z][A-Z0-9_]*)[\"']", source))
    constants = re.findall(r"^\s*([A-Za-z_]\w*)\s*(?::[^=\n]+)?=\s*[\"']([A-Z][A-Z0-9_]*)[\"']\s*$",
                           source, re.M)
    looked_up = set(re.findall(rf"(?:{LOOKUP})(?:[\w.]+\.)?([A-Za-z_]\w*)\b", source))
    return frozenset(literals | {value for name, value in constants if name in looked_up})


def read_by(package: str, name: str) -> bool:
    return name in package_reads(package)


FRAMEWORK = {"rasa": "rasa", "actions": "rasa_sdk"}  # what each process runs on


def readers(kind: str, command: str = "") -> set[str]:
    """The variables this process's own code reads (the project's modules it imports, its
    endpoints file, its third-party image), and those its command expands."""
    return set(_readers(kind, command, DEPLOY))


@cache
def _readers(kind: str, command: str, deploy: Path) -> frozenset[str]:
    names = command_variables(command)
    if kind in IMAGE_VARIABLES:
        names |= set(IMAGE_VARIABLES[kind])
        if kind == "nginx":
            names |= template_variables()
        return frozenset(names)
    for path in project_closure(process_modules(kind)):
        names |= file_reads(path)
    if kind == "rasa":
        names |= endpoint_variables(ROOT / "production" / "endpoints.yml")
    return frozenset(names)


def is_read(kind: str, name: str, command: str = "") -> bool:
    """Does the process read it: its own code, its command, or Rasa / rasa-sdk underneath."""
    return name in readers(kind, command) or (kind in FRAMEWORK and read_by(FRAMEWORK[kind], name))


def applies(kind: str) -> set[str]:
    """The settings.env variables this process reads."""
    return {name for name in settings() if is_read(kind, name)}


def project_reads() -> set[str]:
    """Every variable any of the project's packages reads (the `application` as a whole)."""
    names = set()
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "node_modules" not in path.parts:
                names |= file_reads(path)
    return names


def compose_services() -> dict[str, dict]:
    return compose()["services"]


# --- the application's side -----------------------------------------------------------------------
def test_every_setting_is_read_by_the_application_or_by_rasa():
    """No dead variable in settings.env; the ones the project does not read itself (Rasa's own,
    as settings.env says) are found in Rasa's installed source, not taken on trust."""
    by_project = project_reads() | endpoint_variables(ROOT / "production" / "endpoints.yml")
    left_to_rasa = set(settings()) - by_project
    unread = {n for n in left_to_rasa if not read_by("rasa", n)}
    assert not unread, f"settings.env variables nothing reads: {sorted(unread)}"
    assert left_to_rasa, "expected Rasa's own variables (POSTGRESQL_SCHEMA, ...) in settings.env"
    assert not read_by("rasa", "TPI_NOT_A_RASA_VARIABLE")


def test_the_processes_read_what_the_profile_needs():
    """The derivation behind the lock-step below finds at least what the profile passes."""
    assert {"DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "POSTGRESQL_SCHEMA",
            "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_DB", "TICKET_LOCK_LIFETIME",
            "ACTION_ENDPOINT_URL", "SQL_POOL_SIZE", "SQL_MAX_OVERFLOW"} <= applies("rasa")
    assert {"TRACKER_DIALECT", "DB_HOST", "DB_PASSWORD", "POSTGRESQL_SCHEMA",
            "CONSOLE_PORT"} <= applies("console")
    assert {"RASA_PORT", "ACTIONS_PORT", "ACTION_TIMEOUT_SECONDS"} <= applies("nginx")
    assert "RASA_REPLICAS" not in applies("rasa")  # a launcher setting, not the server's


# --- every variable set is one the application reads ----------------------------------------------
def all_set_variables() -> set[str]:
    names = {n for service in compose_services().values() for n in compose_env(service)}
    return names | {entry["name"] for kind in HELM for entry in helm_env(kind)}


def test_every_variable_set_is_one_the_application_reads():
    known = (set(settings()) | project_reads()
             | endpoint_variables(ROOT / "endpoints.yml")
             | endpoint_variables(ROOT / "production" / "endpoints.yml")
             | {n for n in all_set_variables() if read_by("rasa", n) or read_by("rasa_sdk", n)}
             | {n for variables in IMAGE_VARIABLES.values() for n in variables}
             | template_variables()
             | command_variables(command_text("rasa", "compose"))
             | command_variables(command_text("rasa", "helm"))
             | command_variables(" ".join(compose_strings(compose_services()["redis"]["command"]))
                                 .replace("$$", "$")))
    unknown = all_set_variables() - known
    assert not unknown, f"set in deploy/ but read by nothing: {sorted(unknown)}"


@pytest.mark.parametrize("name", ["rasa", "actions", "console", "postgres", "redis", "nginx"])
def test_each_compose_service_sets_only_what_its_process_reads(name):
    service = compose_services()[name]
    kind = service_kind(name, service)
    command = " ".join(compose_strings(service.get("command") or [])).replace("$$", "$")
    unread = {n for n in compose_env(service) if not is_read(kind, n, command)}
    assert not unread, f"compose service {name} sets what it does not read: {sorted(unread)}"


@pytest.mark.parametrize("kind", list(HELM))
def test_each_helm_release_sets_only_what_its_process_reads(kind):
    names = [entry["name"] for entry in helm_env(kind)]
    assert len(names) == len(set(names)), f"{HELM[kind]}: a variable is set twice"
    unread = {n for n in names if not is_read(kind, n, command_text(kind, "helm"))}
    assert not unread, f"{HELM[kind]} sets variables its process does not read: {sorted(unread)}"


def test_compose_interpolates_only_known_variables():
    """No invented variable (an IMAGE, a TAG): compose only reads the application's own."""
    unknown = {name for name, _, _ in compose_references()
               if name not in settings()
               and not any(is_read(kind, name, command_text(kind, "compose"))
                           for kind in APP_SERVICES)}
    assert not unknown, f"docker-compose.yml interpolates what nothing reads: {sorted(unknown)}"


# --- lock-step with settings.env ------------------------------------------------------------------
def expected_compose_default(name: str) -> str:
    default = settings()[name]
    if name in COMPOSE_ADDRESSES:
        return default.replace("127.0.0.1", COMPOSE_ADDRESSES[name])
    return default


@pytest.mark.parametrize("name", ["rasa", "actions", "console", "nginx"])
def test_compose_sets_every_setting_its_process_reads_with_the_same_default(name):
    env = compose_env(compose_services()[name])
    missing = applies(name) - set(env)
    assert not missing, f"compose service {name} lacks settings it reads: {sorted(missing)}"
    for variable in sorted(applies(name)):
        referenced, op, _ = whole_reference(env[variable])
        assert referenced == variable, \
            f"{name}.{variable} = {env[variable]!r} (must be ${{{variable}...}})"
        if variable in SECRETS:
            continue  # test_secrets_have_no_value_anywhere
        assert op in (":-", "-"), f"{name}.{variable}: {env[variable]!r} has no default"
        assert default_of(env[variable]) == expected_compose_default(variable), (
            f"{name}.{variable} defaults to {default_of(env[variable])!r}, settings.env to "
            f"{settings()[variable]!r}")


def test_every_compose_default_of_a_setting_is_the_settings_default():
    """Also outside `environment:` (published ports, replicas)."""
    for name, op, arg in compose_references():
        if name in settings() and op in (":-", "-"):
            assert interpolate(arg, {}) == expected_compose_default(name), \
                f"${{{name}{op}{arg}}}: settings.env says {settings()[name]!r}"


def test_the_image_variables_come_from_the_applications_variables():
    for name, service in compose_services().items():
        kind = service_kind(name, service)
        for variable, value in compose_env(service).items():
            source = IMAGE_VARIABLES.get(kind, {}).get(variable)
            if source:
                assert whole_reference(value)[0] == source, \
                    f"{name}.{variable} must be ${{{source}...}}"


def test_secrets_have_no_value_anywhere():
    """DB_PASSWORD, REDIS_PASSWORD, RASA_API_TOKEN, SENDER_ID_KEY: compose requires them from the
    environment (${VAR:?...}, never a default), Helm takes them from a Secret."""
    for name, op, arg in compose_references():
        if name in SECRETS:
            assert op in (":?", "?"), f"${{{name}{op}{arg}}}: a secret needs ${{{name}:?...}}"
    for name, service in compose_services().items():
        for variable, value in compose_env(service).items():
            if variable in SECRETS:
                assert whole_reference(value)[1] in (":?", "?"), f"{name}.{variable} = {value!r}"
    for kind in HELM:
        for entry in helm_env(kind):
            if entry["name"] in SECRETS:
                assert "value" not in entry and entry["valueFrom"]["secretKeyRef"]["name"], entry
    for path in [DEPLOY / "docker-compose.yml", *(DEPLOY / "helm").glob("*.yml")]:
        assert settings()["DB_PASSWORD"] not in path.read_text(), \
            f"{path.name}: settings.env's placeholder password"


@pytest.mark.parametrize("kind", list(HELM))
def test_helm_sets_every_setting_its_process_reads_with_the_same_default(kind):
    env = {entry["name"]: entry for entry in helm_env(kind)}
    missing = applies(kind) - set(env)
    assert not missing, f"{HELM[kind]} lacks settings the process reads: {sorted(missing)}"
    for variable in sorted(applies(kind) - SECRETS):
        value = env[variable].get("value")
        assert isinstance(value, str), f"{HELM[kind]}: {variable} needs a quoted string value"
        if variable in ("DB_HOST", "REDIS_HOST"):
            assert value not in LOCAL, f"{variable}: a pod's own address, not the managed service"
        elif variable == "ACTION_ENDPOINT_URL":
            ours, profile = urlsplit(value), urlsplit(settings()[variable])
            assert ours.hostname not in LOCAL and ours.hostname.endswith("-rasa-action-server")
            assert (ours.scheme, ours.path) == (profile.scheme, profile.path)
            assert ours.port == profile.port == int(settings()["ACTIONS_PORT"])
            assert ours.port == helm("actions")["service"]["port"]
        else:
            assert value == settings()[variable], \
                f"{HELM[kind]}: {variable}={value!r}, settings.env says {settings()[variable]!r}"


# --- commands and replicas ------------------------------------------------------------------------
def profile_arguments(function: str) -> list[str]:
    """The literal arguments of production/stack.py's Stack._rasa_server / _action_server: the
    string constants of its list literals, in source order."""
    tree = ast.parse(Path(stack.__file__).read_text(encoding="utf-8"))
    body = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function)
    lists = sorted((n for n in ast.walk(body) if isinstance(n, ast.List)),
                   key=lambda n: (n.lineno, n.col_offset))
    return [e.value for n in lists for e in n.elts
            if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def flag_value(command: str, flag: str) -> str:
    match = re.search(rf"(?<![\w-]){flag}\s+\"?([^\s\"]+)", command)
    assert match, f"{flag} missing from {command!r}"
    return match.group(1)


@pytest.mark.parametrize("where", ["compose", "helm"])
def test_the_rasa_servers_run_serving_with_the_profiles_arguments(where):
    command = command_text("rasa", where)
    assert re.match(r"(exec\s+)?python3?\s+-m\s+serving\s+run\s", command), command
    assert not re.search(r"(^|\s)rasa\s+run(?!\s+actions)", command), \
        "plain `rasa run` skips serving's patches"
    constants = profile_arguments("_rasa_server")
    assert constants[constants.index("-m"):][:3] == ["-m", "serving", "run"]
    for flag in {c for c in constants if c.startswith("--")}:
        assert re.search(rf"(?<![\w-]){flag}(?![\w-])", command), f"{flag} missing ({where})"
    assert flag_value(command, "--endpoints") == stack.ENDPOINTS.relative_to(stack.ROOT).as_posix()
    assert flag_value(command, "--model") == stack.MODEL.relative_to(stack.ROOT).as_posix()
    assert flag_value(command, "--credentials") == "credentials.yml"
    assert flag_value(command, "--auth-token") == "$RASA_API_TOKEN"
    assert "$CORS_ORIGINS" in command.partition("--cors")[2]


@pytest.mark.parametrize("where", ["compose", "helm"])
def test_the_action_servers_run_the_profiles_command(where):
    tokens = shlex.split(command_text("actions", where))
    expected = profile_arguments("_action_server")  # run actions --actions actions --port
    assert expected[:2] == ["run", "actions"] and expected[-1] == "--port"
    assert tokens[0] == "rasa" and tokens[1:len(expected) + 1] == expected, tokens


def upstream_ports() -> dict[str, int]:
    """The service:port deploy/nginx.conf's upstreams send to (one port per service)."""
    text = (DEPLOY / "nginx.conf").read_text()
    pairs = set(re.findall(r"^\s*server\s+(\w+):(\d+)\s", text, re.M))
    ports = {host: int(port) for host, port in pairs}
    assert len(ports) == len(pairs), f"one service, several ports: {sorted(pairs)}"
    return ports


def test_the_load_balancer_and_the_charts_reach_the_ports_the_servers_listen_on():
    ports = upstream_ports()
    assert set(ports) == {"rasa", "actions"}
    for kind in ("rasa", "actions"):
        assert int(flag_value(command_text(kind, "compose"), "--port")) == ports[kind]
        assert int(flag_value(command_text(kind, "helm"), "--port")) == \
            helm(kind)["applicationSettings"]["port"]


@pytest.mark.parametrize(("kind", "setting"),
                         [("rasa", "RASA_REPLICAS"), ("actions", "ACTION_REPLICAS")])
def test_replicas_default_to_the_profiles(kind, setting):
    replicas = str(compose_services()[kind]["deploy"]["replicas"])
    assert whole_reference(replicas)[0] == setting and default_of(replicas) == settings()[setting]
    assert helm(kind)["replicaCount"] == int(settings()[setting])


def test_the_rasa_chart_deploys_nothing_the_profile_does_not_use():
    values = helm("rasa")
    app = values["applicationSettings"]
    assert app["initialModel"] == "" and app["trainInitialModel"] is False, \
        "the chart would fetch a demo model"
    assert app["credentials"]["enabled"] is False
    for endpoint in ("models", "trackerStore", "lockStore", "eventBroker"):
        assert app["endpoints"][endpoint]["enabled"] is False, endpoint
    for subchart in ("postgresql", "redis", "rabbitmq", "rasa-action-server", "duckling"):
        assert values[subchart]["install"] is False, subchart
        assert values[subchart]["external"]["enabled"] is False, \
            f"{subchart}.external adds its own variables"
    assert values["nginx"]["enabled"] is False


# --- nginx ----------------------------------------------------------------------------------------
def parse_nginx(text: str) -> list:
    """nginx's configuration as nested [words, children-or-None] (enough for these two files)."""
    tokens = re.findall(r"'[^']*'|\"[^\"]*\"|[{};]|[^\s{};]+", re.sub(r"#[^\n]*", "", text))
    root: list = []
    stack_, words = [root], []
    for token in tokens:
        if token == "{":
            block: list = []
            stack_[-1].append([words, block])
            stack_.append(block)
            words = []
        elif token == "}":
            stack_.pop()
        elif token == ";":
            stack_[-1].append([words, None])
            words = []
        else:
            words.append(token)
    return root


# Where the container differs by necessity: paths, the process user, Docker's DNS, shared zones.
DEPLOY_ONLY = {"user", "pid", "error_log", "access_log", "daemon", "resolver", "zone",
               "client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path",
               "uwsgi_temp_path", "scgi_temp_path", "listen"}


def nginx_semantics(tree: list, path: tuple = ()) -> set[tuple]:
    found: set[tuple] = set()
    servers = 0
    for words, children in tree:
        if words[0] in DEPLOY_ONLY:
            continue
        if words[0] == "server" and children is None:  # an upstream's server: its parameters
            words = ["server", *(w for w in words[2:] if w != "resolve")]
        if children is None:
            found.add((*path, " ".join(words)))
        else:
            name = f"server#{servers}" if words == ["server"] else " ".join(words)
            servers += words == ["server"]
            found |= nginx_semantics(children, (*path, name))
    return found


def test_nginx_has_the_profiles_upstreams_balancing_and_timeouts():
    values = settings()
    profile = production_nginx.render(
        Path("/x"), [1, 2], [3, 4], int(values["RASA_PORT"]), int(values["ACTIONS_PORT"]),
        int(values["ACTION_TIMEOUT_SECONDS"]))
    deploy_text = (DEPLOY / "nginx.conf").read_text()
    filled = interpolate(deploy_text.replace("$", "$$").replace("$${", "${"), values)
    ours, theirs = nginx_semantics(parse_nginx(filled)), nginx_semantics(parse_nginx(profile))
    assert ours == theirs, (f"only in deploy/nginx.conf: {sorted(ours - theirs)}\n"
                            f"only in production/nginx.py: {sorted(theirs - ours)}")
    # The variable parts stay variables, filled in from the nginx service's environment.
    listens = re.findall(r"^\s*listen\s+([^;]+);", deploy_text, re.M)
    assert listens == ["${RASA_PORT}", "${ACTIONS_PORT}"]
    assert "proxy_read_timeout ${ACTION_TIMEOUT_SECONDS}s;" in deploy_text
    assert template_variables() <= set(compose_env(compose_services()["nginx"]))


def test_compose_mounts_the_nginx_template_and_publishes_the_public_port_only():
    nginx = compose_services()["nginx"]
    assert any(v.startswith("./nginx.conf:/etc/nginx/templates/nginx.conf.template")
               for v in nginx["volumes"])
    assert compose_env(nginx)["NGINX_ENVSUBST_OUTPUT_DIR"] == "/etc/nginx"
    assert [default_of(p) for p in nginx["ports"]] == [
        f"{settings()['LISTEN_ADDRESS']}:{settings()['RASA_PORT']}:{settings()['RASA_PORT']}"]
    for name in ("postgres", "redis", "rasa", "actions"):
        assert "ports" not in compose_services()[name], f"{name} must not be published"


# --- the image ------------------------------------------------------------------------------------
def dockerfile() -> str:
    """deploy/Dockerfile without comments, continuation lines joined."""
    text = re.sub(r"^\s*#.*\n", "", (DEPLOY / "Dockerfile").read_text(), flags=re.M)
    return re.sub(r"\\\n", " ", text)


def test_the_image_installs_like_the_makefile_and_runs_as_a_user():
    text = dockerfile()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.M)
    assert stages[-1] == "python:3.10-slim"
    install = next(line for line in text.splitlines() if "-r requirements.txt" in line)
    assert "-r console/requirements-console.txt" in install and "-c constraints.txt" in install
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert re.findall(r"^WORKDIR\s+(\S+)", text, re.M)[-1] != "/app", \
        "the rasa chart mounts over /app"
    steps = [text.index(s) for s in ("nlp.spacy_pipeline", "clinic.render_domain",
                                     "content.render_domain", "rasa train")]
    assert steps == sorted(steps), "spaCy pipeline, then the domain files, then training"
    # the Spanish lexicon tables are kept on disk by the build (root), read by the user
    warm = text.index("detector_for('es')")
    assert steps[-1] < warm < text.index("\nUSER "), "the table cache is built before USER"


def test_the_image_copies_every_package_the_processes_import():
    lines = re.findall(r"^COPY\s+(?!--from)(.+)$", dockerfile(), re.M)
    copied = {source.rstrip("/") for line in lines for source in line.split()[:-1]}
    needed = {path.relative_to(ROOT).parts[0]
              for kind in APP_SERVICES for path in project_closure(process_modules(kind))}
    needed |= {"config.yml", "credentials.yml", "production", "data", "domain"}
    assert needed <= copied, f"not copied into the image: {sorted(needed - copied)}"
