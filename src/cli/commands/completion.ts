// minikctl completion: shell scripts that complete verbs, flags' values (namespaces, contexts),
// resource types and object names. Names come from the cluster at completion time through
// `minikctl get TYPE -o name`, the way kubectl's __complete asks the server.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { RESOURCES } from '../../apiserver/resources.js';

/** Kept in step with the verb table in main.ts (which is not exported, to keep start-up lean). */
export const VERBS = [
  'annotate', 'api-resources', 'api-versions', 'apply', 'auth', 'cluster-info', 'completion', 'config', 'create', 'delete',
  'describe', 'diff', 'edit', 'explain', 'expose', 'get', 'label', 'patch', 'replace', 'run', 'version',
];
const CONFIG_VERBS = [
  'current-context', 'delete-cluster', 'delete-context', 'delete-user', 'get-clusters', 'get-contexts', 'get-users',
  'rename-context', 'set', 'set-cluster', 'set-context', 'set-credentials', 'unset', 'use-context', 'view',
];
const AUTH_VERBS = ['can-i', 'whoami'];
const SHELLS = ['bash', 'zsh', 'fish', 'powershell'];
/** Verbs whose first argument is a resource type and whose next ones are object names. */
const TYPED_VERBS = ['annotate', 'delete', 'describe', 'edit', 'explain', 'get', 'label', 'patch'];
/** Verbs whose argument is a context name. */
const CONTEXT_VERBS = ['use-context', 'use', 'delete-context', 'rename-context'];

function resourceWords(): string[] {
  const words = new Set<string>();
  for (const r of RESOURCES) {
    if (!r.verbs.includes('get')) continue;
    words.add(r.name);
    for (const s of r.shortNames) words.add(s);
  }
  words.add('all');
  return [...words].sort();
}

function bash(): string {
  return `# bash completion for minikctl                            -*- shell-script -*-
# Load it in the current shell with:  source <(minikctl completion bash)

__minikctl_verbs="${VERBS.join(' ')}"
__minikctl_config_verbs="${CONFIG_VERBS.join(' ')}"
__minikctl_auth_verbs="${AUTH_VERBS.join(' ')}"
__minikctl_resources="${resourceWords().join(' ')}"

# Object names of a type, asked of the cluster; the namespace typed on the line is honoured.
__minikctl_names() {
    local type="$1"
    local -a flags=()
    [[ -n "$__minikctl_ns" ]] && flags+=(--namespace "$__minikctl_ns")
    [[ -n "$__minikctl_ctx" ]] && flags+=(--context "$__minikctl_ctx")
    minikctl "\${flags[@]}" get "$type" -o name 2>/dev/null | sed 's|^[^/]*/||'
}

__minikctl_contexts() {
    minikctl config get-contexts -o name 2>/dev/null
}

_minikctl() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local prev="\${COMP_WORDS[COMP_CWORD-1]}"
    local -a args=()
    local i w
    __minikctl_ns=""
    __minikctl_ctx=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="\${COMP_WORDS[i]}"
        case "$w" in
            -n|--namespace) __minikctl_ns="\${COMP_WORDS[i+1]}"; ((i++)) ;;
            --namespace=*) __minikctl_ns="\${w#*=}" ;;
            --context) __minikctl_ctx="\${COMP_WORDS[i+1]}"; ((i++)) ;;
            --context=*) __minikctl_ctx="\${w#*=}" ;;
            --cluster|--user|--as|--as-group|--kubeconfig|-o|--output|-l|--selector|-f|--filename|--field-selector|--sort-by|-v|--v) ((i++)) ;;
            -*) ;;
            *) args+=("$w") ;;
        esac
    done

    case "$prev" in
        -n|--namespace) COMPREPLY=($(compgen -W "$(__minikctl_names namespaces)" -- "$cur")); return ;;
        --context) COMPREPLY=($(compgen -W "$(__minikctl_contexts)" -- "$cur")); return ;;
        -o|--output) COMPREPLY=($(compgen -W "json yaml wide name jsonpath= custom-columns=" -- "$cur")); return ;;
        -f|--filename|--kubeconfig) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "--namespace --context --all-namespaces --output --selector --filename --help" -- "$cur"))
        return
    fi
    if ((\${#args[@]} == 0)); then
        COMPREPLY=($(compgen -W "$__minikctl_verbs" -- "$cur"))
        return
    fi
    case "\${args[0]}" in
        ${TYPED_VERBS.join('|')})
            if ((\${#args[@]} == 1)); then
                if [[ "$cur" == */* ]]; then
                    local type="\${cur%%/*}"
                    COMPREPLY=($(compgen -P "$type/" -W "$(__minikctl_names "$type")" -- "\${cur#*/}"))
                else
                    COMPREPLY=($(compgen -W "$__minikctl_resources" -- "$cur"))
                fi
            elif [[ "\${args[1]}" != */* ]]; then
                COMPREPLY=($(compgen -W "$(__minikctl_names "\${args[1]}")" -- "$cur"))
            fi
            ;;
        config)
            if ((\${#args[@]} == 1)); then
                COMPREPLY=($(compgen -W "$__minikctl_config_verbs" -- "$cur"))
            elif ((\${#args[@]} == 2)); then
                case "\${args[1]}" in
                    ${CONTEXT_VERBS.join('|')}|get-contexts|set-context) COMPREPLY=($(compgen -W "$(__minikctl_contexts)" -- "$cur")) ;;
                esac
            fi
            ;;
        auth)
            ((\${#args[@]} == 1)) && COMPREPLY=($(compgen -W "$__minikctl_auth_verbs" -- "$cur"))
            ;;
        completion)
            ((\${#args[@]} == 1)) && COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur"))
            ;;
    esac
}

complete -o default -F _minikctl minikctl
`;
}

function zsh(): string {
  // zsh runs the bash function through bashcompinit: one script to keep correct, not two.
  return `#compdef minikctl
# zsh completion for minikctl
# Load it in the current shell with:  source <(minikctl completion zsh)

autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit

${bash().split('\n').slice(2).join('\n')}`;
}

function fish(): string {
  return `# fish completion for minikctl
# Load it in the current shell with:  minikctl completion fish | source

function __minikctl_args
    # the words typed so far that are not flags (the verb first)
    set -l words (commandline -opc)
    set -e words[1]
    set -l out
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case -n --namespace --context --cluster --user --as --kubeconfig -o --output -l --selector -f --filename
                set skip 1
            case '-*'
            case '*'
                set out $out $w
        end
    end
    printf '%s\\n' $out
end

function __minikctl_complete
    set -l args (__minikctl_args)
    set -l n (count $args)
    if test $n -eq 0
        printf '%s\\n' ${VERBS.join(' ')}
        return
    end
    switch $args[1]
        case ${TYPED_VERBS.join(' ')}
            if test $n -eq 1
                printf '%s\\n' ${resourceWords().join(' ')}
            else
                minikctl get $args[2] -o name 2>/dev/null | string replace -r '^[^/]*/' ''
            end
        case config
            if test $n -eq 1
                printf '%s\\n' ${CONFIG_VERBS.join(' ')}
            else if contains -- $args[2] ${CONTEXT_VERBS.join(' ')} get-contexts set-context
                minikctl config get-contexts -o name 2>/dev/null
            end
        case auth
            test $n -eq 1; and printf '%s\\n' ${AUTH_VERBS.join(' ')}
        case completion
            test $n -eq 1; and printf '%s\\n' ${SHELLS.join(' ')}
    end
end

complete -c minikctl -f -a '(__minikctl_complete)'
complete -c minikctl -s n -l namespace -x -a '(minikctl get namespaces -o name 2>/dev/null | string replace -r "^[^/]*/" "")'
complete -c minikctl -l context -x -a '(minikctl config get-contexts -o name 2>/dev/null)'
`;
}

function powershell(): string {
  const list = (l: string[]) => l.map((w) => `'${w}'`).join(', ');
  return `# powershell completion for minikctl
# Load it in the current shell with:  minikctl completion powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -CommandName 'minikctl' -Native -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $verbs = @(${list(VERBS)})
    $typed = @(${list(TYPED_VERBS)})
    $resources = @(${list(resourceWords())})
    $args = @($CommandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() } | Where-Object { $_ -notlike '-*' -and $_ -ne $WordToComplete })
    $candidates = @()
    if ($args.Count -eq 0) {
        $candidates = $verbs
    } elseif ($typed -contains $args[0]) {
        if ($args.Count -eq 1) { $candidates = $resources }
        else { $candidates = @(minikctl get $args[1] -o name 2>$null | ForEach-Object { $_ -replace '^[^/]*/', '' }) }
    } elseif ($args[0] -eq 'config' -and $args.Count -eq 1) {
        $candidates = @(${list(CONFIG_VERBS)})
    } elseif ($args[0] -eq 'config' -and @(${list(CONTEXT_VERBS)}) -contains $args[1]) {
        $candidates = @(minikctl config get-contexts -o name 2>$null)
    } elseif ($args[0] -eq 'auth' -and $args.Count -eq 1) {
        $candidates = @(${list(AUTH_VERBS)})
    } elseif ($args[0] -eq 'completion' -and $args.Count -eq 1) {
        $candidates = @(${list(SHELLS)})
    }
    $candidates | Where-Object { $_ -like "$WordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;
}

const SCRIPTS: Record<string, () => string> = { bash, zsh, fish, powershell };

export function register(cli: Cli): void {
  cli.program
    .command('completion')
    .description('Output shell completion code for the specified shell (bash, zsh, fish, or powershell).')
    .usage('SHELL [options]')
    .argument('[shell...]')
    .action((args: string[]) => {
      const help = "\nSee 'minikctl completion -h' for help and examples";
      if (args.length === 0) throw new CliError(`error: Shell not specified.${help}`);
      if (args.length > 1) throw new CliError(`error: Too many arguments. Expected only the shell type.${help}`);
      const gen = Object.prototype.hasOwnProperty.call(SCRIPTS, args[0]) ? SCRIPTS[args[0]] : undefined;
      if (!gen) throw new CliError(`error: Unsupported shell type "${args[0]}".${help}`);
      cli.out(gen());
    });
}
