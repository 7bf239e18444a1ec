#!/usr/bin/env python3
# Usage: scripts/module-cycles.py src crate 2   (folder, crate prefix, depth: 1 = top-level modules, 2 = files)
# Module dependency cycles in a Rust crate: nodes are files' module paths at
# the given depth; an edge A->B when A's file mentions crate::B (or super:: resolved, or `use crate::{B`).
import os,re,sys,itertools
root=sys.argv[1]; crate=sys.argv[2] if len(sys.argv)>2 else 'crate'
depth=int(sys.argv[3]) if len(sys.argv)>3 else 1
mods={}
for dp,dn,fn in os.walk(root):
    for f in fn:
        if not f.endswith('.rs'): continue
        p=os.path.join(dp,f); rel=os.path.relpath(p,root)[:-3].split(os.sep)
        if rel[-1] in ('mod','lib','main'): rel=rel[:-1]
        if rel and rel[0]=='bin': continue
        mods['::'.join(rel)]=open(p).read()
names=set(mods)
def node(m): return '::'.join(m.split('::')[:depth]) if m else ''
edges={}
for m,src in mods.items():
    # strip test modules roughly
    src=re.split(r'#\[cfg\(test\)\]\s*mod tests',src)[0]
    src=re.sub(r'//.*','',src)
    targets=set()
    for t in re.findall(r'\bcrate::((?:[a-z_]+::)*[a-z_]+)',src): targets.add(t)
    for grp in re.findall(r'use crate::\{([^;]*)\};',src,re.S):
        for t in re.findall(r'(?:^|[,{\s])([a-z_]+)(?=::|\s*[,}]|$)',grp): targets.add(t)
    for t in targets:
        parts=t.split('::')
        while parts and '::'.join(parts) not in names: parts=parts[:-1]
        if not parts: continue
        a,b=node(m),node('::'.join(parts))
        if a and b and a!=b and not b.startswith(a+'::') and not a.startswith(b+'::'):
            edges.setdefault(a,set()).add(b)
# Tarjan SCC
idx={};low={};st=[];on=set();sccs=[];c=[0]
def sc(v):
    idx[v]=low[v]=c[0];c[0]+=1;st.append(v);on.add(v)
    for w in edges.get(v,()):
        if w not in idx: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],idx[w])
    if low[v]==idx[v]:
        comp=[]
        while True:
            w=st.pop();on.discard(w);comp.append(w)
            if w==v:break
        if len(comp)>1: sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in list(edges):
    if v not in idx: sc(v)
for s in sccs:
    print(len(s),s)
    for a in s:
        print('   ',a,'->',sorted(b for b in edges.get(a,()) if b in s))
print('cycles (strongly connected groups):',len(sccs))
pairs=sorted({tuple(sorted((a,b))) for a in edges for b in edges[a] if a in edges.get(b,())})
print('mutual pairs:',len(pairs))
for p in pairs: print('  ',p)
if '--check' in sys.argv and (sccs or pairs):
    print('module-cycles: the modules above depend on each other in a cycle; move the shared part down a layer', file=sys.stderr)
    sys.exit(1)
