#!/usr/bin/env python3
"""Convert scp80.json (a copy of /work/shared/vectors/scp80.json) into scp80.data,
the one-record-per-line form read by tests/unit/test_scp80.c and test_host_scp80.c.

Usage: python3 json2data.py scp80.json > scp80.data
Only reformats: every hex value is copied unchanged; nothing is computed.
Each line is one record: a kind word, then space-separated key=value fields
(lowercase hex, '-' = absent; apdus = the plaintext C-APDUs joined by ',').
  keyset   name kvn kic_algo kic kid_algo kid
  case     name keyset tar spi kic kid cntr apdus data packet por ncmd sw rdata
  pysim    name keyset tar spi cntr apdus packet por status ncmd sw rdata
  negative name keyset tar packet stored status stored_after
"""
import json
import sys


def rec(kind, **kv):
    fields = ' '.join('%s=%s' % (k, '-' if v in (None, '') else v) for k, v in kv.items())
    return '%s %s' % (kind, fields)


def main():
    j = json.load(open(sys.argv[1]))
    out = ['# Generated from scp80.json by json2data.py; do not edit by hand.']
    for name, ks in j['meta']['keysets'].items():
        assert ks['kic_idx'] == ks['kid_idx']
        out.append(rec('keyset', name=name, kvn='%02x' % ks['kic_idx'], kic_algo=ks['algo_crypt'], kic=ks['kic'],
                       kid_algo=ks['algo_auth'], kid=ks['kid']))
    for c in j['cases']:
        por = c.get('example_por') or {}
        res = por.get('assumed_card_result') or {}
        out.append(rec('case', name=c['name'].replace(' ', '_'), keyset=c['keyset'], tar=c['tar'], spi=c['spi'],
                       kic=c['kic'], kid=c['kid'], cntr=c['cntr'], apdus=','.join(c['plaintext_apdus']),
                       data=c['secured_data_plain'], packet=c['command_packet'], por=por.get('por_user_data'),
                       ncmd='%02x' % res['number_of_commands'] if res else None,
                       sw=res.get('last_status_word'), rdata=res.get('last_response_data')))
    for v in j['pysim_unit_test_vectors']:
        d = v['pysim_decode_resp']
        r = d['compact_remote_response']
        status = {'por_ok': '00'}[d['response_status']]
        out.append(rec('pysim', name=v['name'], keyset=v['keyset'], tar=v['tar'], spi=v['spi'], cntr=v['cntr'],
                       apdus=','.join(v['plaintext_apdus']), packet=v['command_packet'],
                       por=v['card_por_user_data'], status=status, ncmd='%02x' % r['number_of_commands'],
                       sw=r['last_status_word'], rdata=r['last_response_data']))
    for n in j['negative']:
        steps = n.get('sequence') or [n]
        for i, s in enumerate(steps):
            before = s.get('card_state_before', n.get('card_state_before', {}))
            after = s.get('card_state_after', {})
            out.append(rec('negative', name='%s#%d' % (n['name'], i + 1) if 'sequence' in n else n['name'],
                           keyset=n['keyset'], tar=n['tar'], packet=s['command_packet'],
                           stored=before.get('stored_counter'),
                           status=s['expected_response_status'], stored_after=after.get('stored_counter')))
    print('\n'.join(out))


if __name__ == '__main__':
    main()
