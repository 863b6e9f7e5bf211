# bash completion for petition and every petition-<cmd> (petition(1), COMPLETION).
#
# The words come from the programs themselves: the commands from `petition --help`, each
# program's verbs, options and option values from its hidden `__complete` (the rules in
# force: units, leaders, categories; the code lists: channels, states, ...), case numbers
# from `petition case list`, what an operand is from the usage text (`-h`). So this file
# keeps no list of its own, and never reads the database itself.

# _petition_run CMD...: run a petition program for completion, with the --db and --rules
# of the command line, and its messages dropped.
_petition_run() {
	PETITION_DB=${_petition_db:-${PETITION_DB:-}} PETITION_RULES=${_petition_rules:-${PETITION_RULES:-}} \
		"$@" 2>/dev/null
}

# _petition_reply CUR LIST: add to COMPREPLY the words of LIST (a line each) that begin
# with CUR; LIST FILE: file names; CASE: the case numbers of the database.
_petition_reply() {
	local cur=$1 list=$2
	case $list in
	FILE) local IFS=$'\n'; COMPREPLY=($(compgen -f -- "$cur")) ;;
	CASE) _petition_reply "$cur" "$(_petition_run "${_petition_case[@]}" list --format tsv | sed '1d; s/\t.*//')" ;;
	*)	# not compgen -W, which expands the words and loses some (--rules after --db)
		local w
		while IFS= read -r w; do
			[[ -n $w && $w == "$cur"* ]] && COMPREPLY+=("$w")
		done <<<"$list" ;;
	esac
}

_petition() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= i w start verb= opts operand usage
	local -a run _petition_case
	local _petition_db= _petition_rules=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# Which program: `petition CMD ...` or `petition-CMD ...`.
	w=${COMP_WORDS[0]}
	if [[ ${w##*/} == petition ]]; then
		if ((COMP_CWORD == 1)); then
			if [[ $cur == -* ]]; then
				_petition_reply "$cur" $'--exec-path\n--help\n--version'
			else
				_petition_reply "$cur" "$("$w" --help 2>/dev/null | sed -n 's/^   \([^ ]*\)$/\1/p')"$'\nhelp'
			fi
			return 0
		fi
		if [[ ${COMP_WORDS[1]} == help ]]; then
			((COMP_CWORD == 2)) && _petition_reply "$cur" "$("$w" --help 2>/dev/null | sed -n 's/^   \([^ ]*\)$/\1/p')"
			return 0
		fi
		run=("$w" "${COMP_WORDS[1]}")
		_petition_case=("$w" case)
		start=2
	else
		run=("$w")
		_petition_case=("${w%petition-*}petition-case")
		start=1
	fi

	# The database and rules of the line, and the verb: the first word that is one.
	local verbs=$'\n'"$(_petition_run "${run[@]}" __complete verbs)"$'\n'
	for ((i = start; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db=*) _petition_db=${w#--db=} ;;
		--db) _petition_db=${COMP_WORDS[i + 1]} ;;
		--rules=*) _petition_rules=${w#--rules=} ;;
		--rules) _petition_rules=${COMP_WORDS[i + 1]} ;;
		esac
		[[ -z $verb && $w != -* && $verbs == *$'\n'"$w"$'\n'* ]] && verb=$w
	done
	opts=$(_petition_run "${run[@]}" __complete options $verb)

	# A value: --opt=VALUE, or VALUE after --opt that takes one.
	if [[ $cur == --*=* ]]; then
		w=${cur%%=*}
		_petition_reply "${cur#*=}" "$(_petition_run "${run[@]}" __complete values "${w#--}")"
		return 0
	fi
	if [[ $prev == --* && $'\n'"$opts"$'\n' == *$'\n'"$prev="$'\n'* ]]; then
		_petition_reply "$cur" "$(_petition_run "${run[@]}" __complete values "${prev#--}")"
		return 0
	fi
	if [[ $cur == -* ]]; then
		_petition_reply "$cur" "$(sed 's/=$//' <<<"$opts")"
		return 0
	fi

	# An operand: a verb first, where the program has verbs; then what the usage says
	# follows the verb (CASE, FILE).
	operand=
	if [[ -z $verb && $verbs != $'\n\n' ]]; then
		operand=VERB
	fi
	usage=$(_petition_run "${run[@]}" -h)
	if [[ -n $verb ]]; then
		# "load [--dry-run] FILE", "show CASE", "VERB CASE" (petition-case's other verbs)
		local skip='([[:space:]]+\[-[^]]*\])*[[:space:]]+\[?([A-Z]+)'
		if [[ $usage =~ [[:space:]]$verb$skip ]] || [[ $usage =~ [[:space:]]VERB$skip ]]; then
			operand=${BASH_REMATCH[2]}
		fi
	elif [[ $usage =~ \[?(CASE)\]?$'\n' ]]; then
		operand="VERB CASE"	# petition route [CASE]: a case or a verb
	fi
	# One operand: none once it is given (words after the verb that are not options or
	# their values).
	local given=0 seen=
	for ((i = start; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == --* ]]; then
			[[ $w != *=* && $'\n'"$opts"$'\n' == *$'\n'"$w="$'\n'* ]] && ((i++))
		elif [[ $w == -* ]]; then
			:
		elif [[ -z $seen && $w == "$verb" ]]; then
			seen=1
		else
			((given++))
		fi
	done
	((given > 0)) && return 0
	case $operand in
	*VERB*CASE*)
		_petition_reply "$cur" CASE
		_petition_reply "$cur" "$verbs" ;;
	VERB) _petition_reply "$cur" "$verbs" ;;
	CASE|FILE) _petition_reply "$cur" "$operand" ;;
	esac
	return 0
}

complete -F _petition petition petition-init petition-rules petition-intake petition-route \
	petition-case petition-schedule petition-report petition-audit
