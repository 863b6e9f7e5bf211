#!/usr/bin/perl
# layers.pl TOP: check the #include "..." lines of TOP/lib/*.[ch] and TOP/cmd/*.[ch] against
# the floors that TOP/lib/README lists (lines "floor NAME: module module ...", lowest floor
# first). Prints one line per problem and exits 1 when there is any, 0 when the house
# stands as drawn. Used by tests/t9001-layers.sh, on the tree and on small fake trees.
#
# A file lib/NAME.c or lib/NAME.h is module NAME; cmd/ is one module above every floor;
# lib/petition.h (the umbrella header) is outside the floors and no lib/ file may include it.
# Problems: a module missing from the table, an include of a higher floor, lib/ including
# cmd/ or the umbrella, and any circle in the graph of modules (pairs and longer).
use strict;
use warnings;

my $top = shift // die "usage: layers.pl TOP\n";
my (%floor, @floors, @problems);

open my $readme, '<', "$top/lib/README" or die "layers.pl: $top/lib/README: $!\n";
while (<$readme>) {
	next unless /^floor\s+(\w+):\s*(.*?)\s*$/;
	push @floors, $1;
	for my $m (split ' ', $2) {
		push @problems, "lib/README:$.: module $m is on two floors" if exists $floor{$m};
		$floor{$m} = $#floors;
	}
}
close $readme;
die "layers.pl: no 'floor NAME: modules' lines in $top/lib/README\n" unless @floors;
my $cmd_rank = @floors;    # cmd/ stands above every floor

# A path relative to TOP (as written in an #include of a file in DIR), made canonical.
sub resolve {
	my ($dir, $inc) = @_;
	my @parts;
	for (split m{/}, "$dir/$inc") {
		next if $_ eq '.' || $_ eq '';
		if ($_ eq '..') { pop @parts } else { push @parts, $_ }
	}
	return join '/', @parts;
}

# The module of a path relative to TOP: a lib module's name, 'cmd', 'umbrella', or undef.
sub module_of {
	my ($path) = @_;
	return 'umbrella' if $path eq 'lib/petition.h';
	return $1 if $path =~ m{^lib/([^/]+)\.[ch]$};
	return 'cmd' if $path =~ m{^cmd/};
	return undef;
}

sub rank {
	my ($m) = @_;
	return $m eq 'cmd' ? $cmd_rank : $floor{$m};
}

sub floor_name {
	my ($m) = @_;
	return $m eq 'cmd' ? 'cmd' : $floors[$floor{$m}];
}

my %edges;    # module -> { module it includes -> "file:line" }
my @files = sort(glob("$top/lib/*.c"), glob("$top/lib/*.h"), glob("$top/cmd/*.c"), glob("$top/cmd/*.h"));
for my $file (@files) {
	(my $rel = $file) =~ s{^\Q$top\E/}{};
	my $from = module_of($rel);
	next if $from eq 'umbrella';
	if ($from ne 'cmd' && !exists $floor{$from}) {
		push @problems, "$rel: module $from is not in the floors of lib/README";
		next;
	}
	(my $dir = $rel) =~ s{/[^/]+$}{};
	open my $fh, '<', $file or die "layers.pl: $file: $!\n";
	while (<$fh>) {
		next unless /^\s*#\s*include\s+"([^"]+)"/;
		my $target = resolve($dir, $1);
		my $to = module_of($target);
		my $where = "$rel:$.";
		if (!defined $to) {
			push @problems, "$where: includes $1, which is in no module";
		} elsif ($to eq 'umbrella') {
			push @problems, "$where: includes petition.h, the umbrella header, which is for cmd/ and outside users"
				if $from ne 'cmd';
		} elsif ($to eq $from) {
			next;
		} elsif ($to ne 'cmd' && !exists $floor{$to}) {
			push @problems, "$where: includes module $to, which is not in the floors of lib/README";
		} elsif ($to eq 'cmd') {
			push @problems, "$where: lib/ includes cmd/ ($1)";
		} elsif (rank($to) > rank($from)) {
			push @problems, sprintf "%s: %s (%s) includes %s (%s), a higher floor", $where, $from,
				floor_name($from), $to, floor_name($to);
		} else {
			$edges{$from}{$to} //= $where;
		}
	}
	close $fh;
}

# Circles: a depth-first search; an edge back to a module on the current path closes one.
my (%state, @path, %seen_circle);
sub visit {
	my ($m) = @_;
	$state{$m} = 'open';
	push @path, $m;
	for my $n (sort keys %{ $edges{$m} // {} }) {
		if (($state{$n} // '') eq 'open') {
			my ($i) = grep { $path[$_] eq $n } 0 .. $#path;
			my @circle = (@path[$i .. $#path], $n);
			my $key = join ' ', sort @circle[0 .. $#circle - 1];
			push @problems, "circle: " . join(' -> ', @circle) . " ($edges{$m}{$n})"
				unless $seen_circle{$key}++;
		} elsif (!$state{$n}) {
			visit($n);
		}
	}
	pop @path;
	$state{$m} = 'done';
}
visit($_) for grep { !$state{$_} } sort keys %edges;

print "$_\n" for @problems;
exit(@problems ? 1 : 0);
