/* 府院联动数据看板: builds the KPI cards and tables from DATA (data.js), sorts tables by a click
 * on a header (numbers numerically, empty values last) and lists the cases behind any count or
 * rate (the numerator highlighted within the denominator). No network, no libraries.
 *
 * The URL hash drives the same actions, so a view can be linked or tested:
 *   #sort=loss_rate&dir=desc&table=subunits&q=公安&drill=411202:lost
 * sort/dir/table sort a table (default table: subunits on the index page, agencies on a unit
 * page); q fills the agencies filter; drill=<scope>:<metric> opens the case list, where scope is
 * the region code (the whole region), a sub-unit code, or <code>|<agency name> for an agency. */
(function () {
  'use strict';

  var D = DATA;
  var PAGE = document.body.getAttribute('data-page') || 'index';
  var UNIT = document.body.getAttribute('data-unit') || '';
  var NOT_FILLED = '未填写';
  // Outcomes decided by judgment (判决结案): the denominator of the judgment loss rate (实体败诉率).
  var JUDGMENT = ['撤销', '部分撤销', '变更', '确认违法', '确认无效', '责令履行', '给付', '赔偿', '驳回诉讼请求'];
  var tables = {};

  // ---------- small helpers ----------
  function el(tag, props, children) {
    var e = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = v;
        else if (k === 'cls') e.className = v;
        else if (k === 'on') Object.keys(v).forEach(function (ev) { e.addEventListener(ev, v[ev]); });
        else e.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return e;
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function pct(r) { return isNum(r) ? (r * 100).toFixed(2) + '%' : '—'; }
  function wan(yuan) { var v = Number(yuan); return isFinite(v) ? (v / 10000).toFixed(2) : '—'; }
  function yuanNum(yuan) { var v = Number(yuan); return isFinite(v) ? v : null; }
  function dash(v) { return v === null || v === undefined || v === '' ? '—' : String(v); }
  function yesNo(v) { return v === true ? '是' : v === false ? '否' : '—'; }
  function domainOf(c) { return c.domain === null || c.domain === undefined || c.domain === '' ? NOT_FILLED : c.domain; }
  function reasonOf(c) { return c.loss_reason === null || c.loss_reason === undefined || c.loss_reason === '' ? NOT_FILLED : c.loss_reason; }
  function regionName(code) { return (D.region_names && D.region_names[code]) || (code === D.region_code ? D.region_name : code); }
  /** Where an agency lies: its sub-unit and, when deeper, its own region (陕州区 · 西张村镇). */
  function agencyPlace(a) {
    var u = a.unit ? unitFigures(a.unit) : null;
    if (!u || a.unit === a.code) return regionName(a.code);
    return u.name + ' · ' + regionName(a.code);
  }
  function unitFigures(code) { for (var i = 0; i < D.subunits.length; i++) if (D.subunits[i].code === code) return D.subunits[i]; return null; }
  function agencyFigures(code, name) {
    for (var i = 0; i < D.agencies.length; i++) if (D.agencies[i].code === code && D.agencies[i].name === name) return D.agencies[i];
    return null;
  }

  // ---------- scopes and metrics (what a drill-down lists) ----------
  function parseScope(s) {
    if (s === 'total' || s === D.region_code) return { kind: 'total', key: 'total' };
    var m = /^([uadr]):(.*)$/.exec(s);
    if (m) {
      if (m[1] === 'u') return { kind: 'unit', code: m[2], key: s };
      if (m[1] === 'd') return { kind: 'domain', domain: m[2], key: s };
      if (m[1] === 'r') return { kind: 'reason', reason: m[2], key: s };
      var bar = m[2].indexOf('|');
      return bar < 0 ? null : { kind: 'agency', code: m[2].slice(0, bar), name: m[2].slice(bar + 1), key: s };
    }
    if (unitFigures(s)) return { kind: 'unit', code: s, key: 'u:' + s };
    var b = s.indexOf('|');
    if (b > 0) return { kind: 'agency', code: s.slice(0, b), name: s.slice(b + 1), key: 'a:' + s };
    return null;
  }
  function scopeLabel(sc) {
    if (sc.kind === 'total') return D.region_name + '（' + D.scope_word + '）';
    if (sc.kind === 'unit') { var u = unitFigures(sc.code); return u ? u.name : sc.code; }
    if (sc.kind === 'agency') return sc.name + '（' + regionName(sc.code) + '）';
    if (sc.kind === 'domain') return '领域：' + sc.domain;
    return '败诉原因：' + sc.reason;
  }
  /** The figures row a scope's counts should agree with (for the consistency check). */
  function scopeFigures(sc) {
    if (sc.kind === 'total') return D.total;
    if (sc.kind === 'unit') return unitFigures(sc.code);
    if (sc.kind === 'agency') return agencyFigures(sc.code, sc.name);
    var i;
    if (sc.kind === 'domain') { for (i = 0; i < D.by_domain.length; i++) if (D.by_domain[i].domain === sc.domain) return D.by_domain[i]; }
    if (sc.kind === 'reason') { for (i = 0; i < D.loss_reasons.length; i++) if (D.loss_reasons[i].reason === sc.reason) return D.loss_reasons[i]; }
    return null;
  }
  function scopeCases(sc, src) {
    var list = src === 'recon' ? D.recon_cases : D.cases;
    var who = src === 'recon' ? 'respondent' : 'defendant';
    return list.filter(function (c) {
      if (sc.kind === 'total') return true;
      if (sc.kind === 'unit') return c.unit === sc.code;
      if (sc.kind === 'agency') return c.region_code === sc.code && c[who] === sc.name;
      if (sc.kind === 'domain') return domainOf(c) === sc.domain;
      return src !== 'recon' && c.lost_in_period && reasonOf(c) === sc.reason;
    });
  }

  function concluded(c) { return c.concluded_in_period; }
  function heard(c) { return c.heard_in_period; }
  function judged(c) { return c.concluded_in_period && JUDGMENT.indexOf(c.outcome) >= 0; }
  function lost(c) { return c.lost_in_period; }
  function appeared(c) { return c.heard_in_period && c.head_appeared === true; }
  // den/num: which cases form the denominator and the numerator; denField/numField: the figures
  // columns they must agree with; rate: the figures column shown in the heading.
  var LOSS = { src: 'lit', label: '败诉率（总体）', den: concluded, num: lost, denWord: '本期审结的一审案件', numWord: '败诉', denField: 'concluded', numField: 'lost', rate: 'loss_rate' };
  var APPEAR = { src: 'lit', label: '负责人出庭应诉率', den: heard, num: appeared, denWord: '本期开庭审理的一审案件', numWord: '负责人出庭', denField: 'hearings', numField: 'appeared', rate: 'appearance_rate' };
  var RECON = { src: 'recon', label: '复议纠错率', den: function (c) { return c.decided; }, num: function (c) { return c.corrected; }, denWord: '本期审结并作出实体决定的复议案件（不含和解、调解、终止）', numWord: '被纠错（撤销、变更、确认违法、责令履行等）', denField: 'recon_decided', numField: 'recon_corrected', rate: 'recon_correction_rate' };
  function like(base, extra) { var o = {}; Object.keys(base).forEach(function (k) { o[k] = base[k]; }); Object.keys(extra).forEach(function (k) { o[k] = extra[k]; }); return o; }
  var METRICS = {
    filed: { src: 'lit', label: '发案量', den: function (c) { return c.filed_in_period; }, denWord: '本期立案的一审行政案件', denField: 'filed' },
    concluded: { src: 'lit', label: '审结', den: concluded, denWord: '本期审结的一审案件', denField: 'concluded' },
    lost: like(LOSS, { label: '败诉', count: true }),
    loss_rate: LOSS,
    judgment_loss_rate: { src: 'lit', label: '实体败诉率', den: judged, num: lost, denWord: '本期判决结案的一审案件', numWord: '败诉', numField: 'lost', rate: 'judgment_loss_rate' },
    hearings: { src: 'lit', label: '开庭', den: heard, denWord: '本期开庭审理的一审案件', denField: 'hearings' },
    appeared: like(APPEAR, { label: '负责人出庭', count: true }),
    appearance_rate: APPEAR,
    spoke_rate: { src: 'lit', label: '出庭出声率', den: appeared, num: function (c) { return appeared(c) && c.head_spoke === true; }, denWord: '负责人出庭的开庭案件', numWord: '出庭并发表意见', denField: 'appeared', rate: 'spoke_rate' },
    required_appearance_rate: { src: 'lit', label: '应出庭案件出庭率', den: function (c) { return heard(c) && c.appearance_required === true; }, num: function (c) { return heard(c) && c.appearance_required === true && c.head_appeared === true; }, denWord: '法院要求负责人出庭的开庭案件', numWord: '负责人出庭', rate: 'required_appearance_rate' },
    recon_concluded: { src: 'recon', label: '复议审结', den: function () { return true; }, denWord: '本期审结的行政复议案件', denField: 'recon_concluded' },
    recon_decided: { src: 'recon', label: '复议实体决定', den: function (c) { return c.decided; }, denWord: RECON.denWord, denField: 'recon_decided' },
    recon_corrected: like(RECON, { label: '复议被纠错', count: true }),
    recon_correction_rate: RECON
  };

  // ---------- sortable tables ----------
  function cmpValues(a, b) {
    var an = a === null || a === undefined || a === '' || (typeof a === 'number' && !isFinite(a));
    var bn = b === null || b === undefined || b === '' || (typeof b === 'number' && !isFinite(b));
    if (an || bn) return an && bn ? 0 : an ? 2 : -2; // |2| marks "empty last" regardless of direction
    if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
    return String(a).localeCompare(String(b), 'zh-Hans-CN');
  }

  /** opts: id, columns [{key,label,num,value(row),render(row)->node|string,title}], rows,
   *  rowAttrs(row)->{attr:value}, filter (placeholder) , empty (text). Returns the table API. */
  function makeTable(host, opts) {
    var cols = opts.columns;
    var table = el('table', { cls: 'data', id: 't-' + opts.id, 'data-rows': opts.rows.length });
    var thead = el('thead'), htr = el('tr'), tbody = el('tbody');
    var state = { key: null, dir: 1 };
    var ths = cols.map(function (c) {
      var th = el('th', { cls: (c.num ? 'num ' : '') + (c.nosort ? '' : 'sortable'), 'data-key': c.key, title: c.title || (c.nosort ? null : '点击排序'), scope: 'col' }, [c.label, c.nosort ? null : el('span', { cls: 'arrow', 'aria-hidden': 'true' })]);
      if (!c.nosort) th.addEventListener('click', function () { api.sort(c.key, state.key === c.key ? -state.dir : (c.firstDir || 1)); });
      htr.appendChild(th);
      return th;
    });
    thead.appendChild(htr);
    var items = opts.rows.map(function (row, i) {
      var attrs = opts.rowAttrs ? opts.rowAttrs(row) : {};
      var tr = el('tr', attrs);
      cols.forEach(function (c) {
        var td = el('td', { cls: (c.num ? 'num' : '') + (c.wrap ? ' wrap' : '') || null });
        var content = c.render ? c.render(row) : dash(c.value(row));
        if (content !== null && content !== undefined) td.appendChild(typeof content === 'string' || typeof content === 'number' ? document.createTextNode(String(content)) : content);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
      return { row: row, tr: tr, i: i, text: (opts.searchText ? opts.searchText(row) : '').toLowerCase() };
    });
    table.appendChild(thead);
    table.appendChild(tbody);
    var count = null, input = null;
    if (opts.filter) {
      input = el('input', { type: 'search', placeholder: opts.filter, 'aria-label': opts.filter, id: 'q-' + opts.id });
      count = el('span', { cls: 'count' });
      host.appendChild(el('div', { cls: 'toolbar' }, [input, count]));
      input.addEventListener('input', function () { api.filter(input.value); });
    }
    if (!opts.rows.length) host.appendChild(el('p', { cls: 'empty', text: opts.empty || '（无数据）' }));
    else host.appendChild(el('div', { cls: 'table-wrap' + (opts.tall ? ' tall' : '') }, [table]));
    var api = {
      table: table,
      sort: function (key, dir) {
        var col = null;
        cols.forEach(function (c) { if (c.key === key) col = c; });
        if (!col || col.nosort) return false;
        state.key = key;
        state.dir = dir < 0 ? -1 : 1;
        var sorted = items.slice().sort(function (x, y) {
          var r = cmpValues(col.value(x.row), col.value(y.row));
          if (r === 2 || r === -2) return r; // empty values last in both directions
          return r * state.dir || x.i - y.i;
        });
        sorted.forEach(function (it) { tbody.appendChild(it.tr); });
        ths.forEach(function (th, j) {
          var on = cols[j].key === key;
          var arrow = th.querySelector('.arrow');
          if (arrow) arrow.textContent = on ? (state.dir > 0 ? '▲' : '▼') : '';
          if (on) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
          else th.removeAttribute('aria-sort');
        });
        table.setAttribute('data-sort', key);
        table.setAttribute('data-dir', state.dir > 0 ? 'asc' : 'desc');
        return true;
      },
      filter: function (q) {
        q = (q || '').trim().toLowerCase();
        if (input && input.value !== q) input.value = q;
        var shown = 0;
        items.forEach(function (it) {
          var ok = !q || it.text.indexOf(q) >= 0;
          it.tr.hidden = !ok;
          if (ok) shown++;
        });
        if (count) count.textContent = '显示 ' + shown + ' / ' + items.length + ' 个';
        table.setAttribute('data-shown', shown);
      }
    };
    if (opts.filter) api.filter('');
    tables[opts.id] = api;
    return api;
  }

  // ---------- drill-down links ----------
  function drillGate(metric, fig) {
    var m = METRICS[metric];
    if (!fig || !m) return true;
    var gate = { filed: 'filed', concluded: 'concluded', lost: 'concluded', loss_rate: 'concluded', judgment_loss_rate: 'judgment_loss_rate', hearings: 'hearings', appeared: 'hearings', appearance_rate: 'hearings', spoke_rate: 'appeared', required_appearance_rate: 'required_appearance_rate', recon_concluded: 'recon_concluded', recon_decided: 'recon_decided', recon_corrected: 'recon_concluded', recon_correction_rate: 'recon_correction_rate' }[metric];
    if (!(gate in fig)) return true;
    var v = fig[gate];
    if (/_rate$/.test(gate)) return isNum(v);
    return typeof v === 'number' ? v > 0 : v !== null && v !== undefined;
  }
  function drillLink(scopeKey, metric, text, fig) {
    if (!drillGate(metric, fig)) return document.createTextNode(text);
    return el('button', { type: 'button', cls: 'drill', 'data-drill': scopeKey + ':' + metric, title: '查看案件明细', on: { click: function () { openDrill(scopeKey, metric, true); } } }, [text]);
  }
  function rateCell(scopeKey, metric, fig, numField, denField) {
    var r = fig[METRICS[metric].rate];
    var wrap = el('span');
    wrap.appendChild(isNum(r) ? drillLink(scopeKey, metric, pct(r), fig) : document.createTextNode('—'));
    if (numField && denField && isNum(fig[denField]) && fig[denField] > 0) wrap.appendChild(el('span', { cls: 'n', text: fig[numField] + '/' + fig[denField] }));
    return wrap;
  }
  /** The correction rate with its counts (corrected/decided, from the case rows); a click on the
   *  counts lists the cases. */
  function reconCell(scopeKey, fig) {
    var sc = parseScope(scopeKey);
    var decided = sc ? countCases(sc, 'recon', function (c) { return c.decided; }) : 0;
    var wrap = el('span');
    wrap.appendChild(isNum(fig.recon_correction_rate) ? drillLink(scopeKey, 'recon_correction_rate', pct(fig.recon_correction_rate), fig) : document.createTextNode('—'));
    if (decided > 0 || fig.recon_corrected > 0) wrap.appendChild(el('span', { cls: 'n', text: fig.recon_corrected + '/' + decided }));
    return wrap;
  }
  function changeSpan(delta, unit, sense) {
    if (!isNum(delta)) return el('span', { cls: 'flat', text: '—' });
    var v = Math.round(delta * 100) / 100;
    var cls = v === 0 || sense === 'neutral' ? 'flat' : (v < 0) === (sense === 'down') ? 'good' : 'bad';
    var arrow = v > 0 ? '▲' : v < 0 ? '▼' : '';
    return el('span', { cls: cls, text: v === 0 ? '持平' : arrow + ' ' + Math.abs(v).toFixed(2) + unit });
  }

  // ---------- figures tables (sub-units, departments, agencies) ----------
  function figureColumns(kind) {
    var scopeOf = kind === 'subunits' ? function (f) { return 'u:' + f.code; } : function (f) { return 'a:' + f.code + '|' + f.name; };
    var cols = [];
    if (kind !== 'agencies') cols.push({ key: 'loss_rank', label: '排名', num: true, value: function (f) { return f.loss_rank; }, title: '按总体败诉率由低到高；无审结案件不排名' });
    if (kind === 'subunits') {
      cols.push({ key: 'name', label: '地区', value: function (f) { return f.name; }, render: function (f) { return el('a', { href: 'unit-' + f.code.replace(/[^0-9A-Za-z_-]/g, '_') + '.html', text: f.name }); } });
    } else {
      cols.push({ key: 'name', label: kind === 'departments' ? '部门' : '行政机关', value: function (f) { return f.name; }, wrap: true });
      if (kind === 'agencies') cols.push({ key: 'region', label: '所在地区', value: agencyPlace });
    }
    cols.push(
      { key: 'filed', label: '发案量', num: true, value: function (f) { return f.filed; }, render: function (f) { return drillLink(scopeOf(f), 'filed', String(f.filed), f); } },
      { key: 'filed_yoy', label: '发案同比', num: true, value: function (f) { return f.filed_yoy; }, render: function (f) { return isNum(f.filed_yoy) ? changeSpan(f.filed_yoy * 100, '%', 'down') : el('span', { cls: 'flat', text: f.filed_prev === 0 && f.filed > 0 ? '上年为0' : '—' }); }, title: '与上年同期相比（绿色为下降）' },
      { key: 'concluded', label: '审结', num: true, value: function (f) { return f.concluded; }, render: function (f) { return drillLink(scopeOf(f), 'concluded', String(f.concluded), f); } },
      { key: 'lost', label: '败诉', num: true, value: function (f) { return f.lost; }, render: function (f) { return drillLink(scopeOf(f), 'lost', String(f.lost), f); } },
      { key: 'loss_rate', label: '败诉率', num: true, value: function (f) { return f.loss_rate; }, render: function (f) { return rateCell(scopeOf(f), 'loss_rate', f, 'lost', 'concluded'); }, title: '总体败诉率 = 败诉 ÷ 审结' }
    );
    if (kind !== 'agencies') {
      cols.push(
        { key: 'loss_rate_change_pp', label: '同比(百分点)', num: true, value: function (f) { return f.loss_rate_change_pp; }, render: function (f) { return changeSpan(f.loss_rate_change_pp, '', 'down'); }, title: '败诉率与上年同期之差，单位百分点' },
        { key: 'judgment_loss_rate', label: '实体败诉率', num: true, value: function (f) { return f.judgment_loss_rate; }, render: function (f) { return rateCell(scopeOf(f), 'judgment_loss_rate', f); }, title: '实体败诉率 = 败诉 ÷ 判决结案' },
        { key: 'double_decline', label: '双下降', value: function (f) { return f.double_decline === null || f.double_decline === undefined ? null : f.double_decline ? 1 : 0; }, render: function (f) { return f.double_decline === true ? el('span', { cls: 'good', text: '是' }) : f.double_decline === false ? el('span', { cls: 'bad', text: '否' }) : '—'; }, firstDir: -1 }
      );
    }
    cols.push(
      { key: 'appearance_rate', label: '出庭应诉率', num: true, value: function (f) { return f.appearance_rate; }, render: function (f) { return rateCell(scopeOf(f), 'appearance_rate', f, 'appeared', 'hearings'); }, title: '负责人出庭 ÷ 开庭', firstDir: -1 },
      { key: 'recon_correction_rate', label: '复议纠错率', num: true, value: function (f) { return f.recon_correction_rate; }, render: function (f) { return reconCell(scopeOf(f), f); }, title: '复议被纠错 ÷ 作出实体决定的复议案件' },
      { key: 'penalty_cases', label: '处罚', num: true, value: function (f) { return f.penalty_cases; } },
      { key: 'fines_yuan', label: '罚款(万元)', num: true, value: function (f) { return yuanNum(f.fines_yuan); }, render: function (f) { return wan(f.fines_yuan); } }
    );
    return cols;
  }
  function figuresTable(hostId, id, kind, rows, filter) {
    var host = document.getElementById(hostId);
    if (!host) return null;
    return makeTable(host, {
      id: id,
      columns: figureColumns(kind),
      rows: rows,
      filter: filter,
      empty: '（本期无数据）',
      rowAttrs: function (f) { return kind === 'subunits' ? { 'data-code': f.code } : { 'data-code': f.code, 'data-agency': f.name }; },
      tall: kind === 'agencies',
      searchText: function (f) { return f.name + ' ' + agencyPlace(f) + ' ' + f.code; }
    });
  }

  function flagsTable(hostId, flags) {
    var host = document.getElementById(hostId);
    if (!host) return;
    var scope = function (f) { return 'a:' + f.code + '|' + f.agency; };
    var fig = function (f) { return agencyFigures(f.code, f.agency) || f; };
    var t = D.thresholds;
    host.appendChild(el('p', { cls: 'hint', text: '标准：败诉' + t.interview_losses + '件以上，或审结' + t.interview_min_concluded + '件以上且败诉率达到' + (t.interview_loss_rate * 100).toFixed(0) + '%，建议约谈；败诉' + t.letter_losses + '件以上或复议被纠错' + t.letter_corrections + '件以上，建议制发行政执法监督意见书。' }));
    makeTable(host, {
      id: 'flags',
      rows: flags,
      empty: '（本期没有达到约谈或监督意见书标准的行政机关）',
      rowAttrs: function (f) { return { 'data-code': f.code, 'data-agency': f.agency }; },
      columns: [
        { key: 'action', label: '建议', value: function (f) { return f.action; }, render: function (f) { return el('span', { cls: 'badge ' + (f.action === '约谈' ? 'interview' : 'letter'), text: f.action }); } },
        { key: 'agency', label: '行政机关', value: function (f) { return f.agency; }, wrap: true },
        { key: 'region', label: '地区', value: function (f) { return f.region_name; } },
        { key: 'lost', label: '败诉', num: true, value: function (f) { return f.lost; }, render: function (f) { return drillLink(scope(f), 'lost', String(f.lost), fig(f)); } },
        { key: 'concluded', label: '审结', num: true, value: function (f) { return f.concluded; }, render: function (f) { return drillLink(scope(f), 'concluded', String(f.concluded), fig(f)); } },
        { key: 'loss_rate', label: '败诉率', num: true, value: function (f) { return f.loss_rate; }, render: function (f) { return isNum(f.loss_rate) ? drillLink(scope(f), 'loss_rate', pct(f.loss_rate), fig(f)) : '—'; } },
        { key: 'recon_corrected', label: '复议被纠错', num: true, value: function (f) { return f.recon_corrected; }, render: function (f) { return drillLink(scope(f), 'recon_corrected', String(f.recon_corrected), fig(f)); } },
        { key: 'why', label: '依据', value: function (f) { return f.why; }, wrap: true }
      ]
    });
  }

  // ---------- KPI cards ----------
  function countCases(sc, src, pred) { return scopeCases(sc, src).filter(pred).length; }
  function kpiCards(hostId, sc, f, prev) {
    var host = document.getElementById(hostId);
    if (!host || !f) return;
    var key = sc.key;
    var judgedN = countCases(sc, 'lit', judged);
    var decidedN = countCases(sc, 'recon', function (c) { return c.decided; });
    function card(label, value, unit, nLine, yoy, prevLine, metric, extra) {
      var v = el('div', { cls: 'value' }, [metric && value !== '—' ? drillLink(key, metric, value, f) : value, unit ? el('small', { text: unit }) : null]);
      return el('div', { cls: 'kpi', 'data-kpi': metric || label }, [el('div', { cls: 'label', text: label }), v, el('div', { cls: 'n', text: nLine }), extra || null, el('div', { cls: 'yoy' }, ['同比 ', yoy]), prevLine ? el('div', { cls: 'prev', text: prevLine }) : null]);
    }
    function countYoy(cur, before, sense) {
      if (!isNum(before)) return el('span', { cls: 'flat', text: '—' });
      if (before === 0) return el('span', { cls: 'flat', text: cur === 0 ? '持平' : '上年同期为0' });
      return changeSpan((cur - before) / before * 100, '%', sense);
    }
    function ppYoy(cur, before, sense) { return isNum(cur) && isNum(before) ? changeSpan((cur - before) * 100, ' 个百分点', sense) : el('span', { cls: 'flat', text: '—' }); }
    var p = prev || null;
    var cards = [
      card('发案量（一审）', String(f.filed), '件', '上年同期 ' + f.filed_prev + ' 件', isNum(f.filed_yoy) ? changeSpan(f.filed_yoy * 100, '%', 'down') : countYoy(f.filed, f.filed_prev, 'down'), D.period.prev_label + '：' + f.filed_prev + ' 件', 'filed'),
      card('审结', String(f.concluded), '件', '其中败诉 ' + f.lost + ' 件，判决结案 ' + judgedN + ' 件', countYoy(f.concluded, p ? p.concluded : null, 'neutral'), p ? D.period.prev_label + '：' + p.concluded + ' 件' : null, 'concluded'),
      card('败诉率（总体）', pct(f.loss_rate), '', '败诉/审结 = ' + f.lost + '/' + f.concluded, isNum(f.loss_rate_change_pp) ? changeSpan(f.loss_rate_change_pp, ' 个百分点', 'down') : el('span', { cls: 'flat', text: '—' }), D.period.prev_label + '：' + pct(f.loss_rate_prev), 'loss_rate'),
      card('实体败诉率', pct(f.judgment_loss_rate), '', '败诉/判决结案 = ' + f.lost + '/' + judgedN, ppYoy(f.judgment_loss_rate, p ? p.judgment_loss_rate : null, 'down'), p ? D.period.prev_label + '：' + pct(p.judgment_loss_rate) : null, 'judgment_loss_rate'),
      card('负责人出庭应诉率', pct(f.appearance_rate), '', '出庭/开庭 = ' + f.appeared + '/' + f.hearings, ppYoy(f.appearance_rate, p ? p.appearance_rate : null, 'up'), p ? D.period.prev_label + '：' + pct(p.appearance_rate) : null, 'appearance_rate',
        el('div', { cls: 'n' }, ['出声率 ', isNum(f.spoke_rate) ? drillLink(key, 'spoke_rate', pct(f.spoke_rate), f) : '—', '；应出庭案件 ', isNum(f.required_appearance_rate) ? drillLink(key, 'required_appearance_rate', pct(f.required_appearance_rate), f) : '—'])),
      card('复议纠错率', pct(f.recon_correction_rate), '', '纠错/实体决定 = ' + f.recon_corrected + '/' + decidedN + '（审结 ' + f.recon_concluded + ' 件）', ppYoy(f.recon_correction_rate, p ? p.recon_correction_rate : null, 'down'), p ? D.period.prev_label + '：' + pct(p.recon_correction_rate) : null, 'recon_correction_rate'),
      card('行政处罚', String(f.penalty_cases), '件', '罚款 ' + wan(f.fines_yuan) + ' 万元，没收 ' + wan(f.confiscated_yuan) + ' 万元', el('span', {}, [countYoy(f.penalty_cases, p ? p.penalty_cases : null, 'neutral'), '；罚款 ', countYoy(yuanNum(f.fines_yuan), p ? yuanNum(p.fines_yuan) : null, 'neutral')]), p ? D.period.prev_label + '：' + p.penalty_cases + ' 件，罚款 ' + wan(p.fines_yuan) + ' 万元' : null, null)
    ];
    // A rank among fewer than two peers says nothing; the average (with its counts and the
    // difference in percentage points) is shown whenever there is one.
    var ranked = sc.kind === 'total' && isNum(D.peer_rank) && D.peer_ranked >= 2;
    var avg = sc.kind === 'total' ? D.peer_average : null;
    if (ranked || avg) {
      var gap = function (d) { return !isNum(d) ? '' : Math.abs(d) < 0.005 ? '，本地区与平均持平' : '，本地区' + (d < 0 ? '低' : '高') + Math.abs(d).toFixed(2) + '个百分点'; };
      var counts = function (a, b) { return a !== null && a !== undefined && b !== null && b !== undefined ? '（' + a + '/' + b + '）' : ''; };
      var kids = [el('div', { cls: 'label', text: ranked ? '败诉率在' + D.peer_word + '中的排名' : '败诉率与' + avg.word })];
      if (ranked) {
        kids.push(el('div', { cls: 'value' }, ['第' + D.peer_rank, el('small', { text: '位 / ' + D.peer_ranked })]));
        kids.push(el('div', { cls: 'n', text: '由低到高排列，第1位败诉率最低' + (D.peers_reported ? '；其中' + D.peers_reported + '个地区为报送数据，其余为测算' : '') + (D.reported_self ? '；本地区报送败诉率' + pct(D.reported_self.loss_rate) + '，与测算不一致' : '') }));
      } else {
        kids.push(el('div', { cls: 'value', text: pct(f.loss_rate) }));
      }
      if (avg) {
        kids.push(el('div', { cls: 'n', 'data-avg': 'loss_rate', text: avg.word + '败诉率 ' + pct(avg.loss_rate) + counts(avg.lost, avg.concluded) + gap(avg.diff_pp) }));
        if (avg.appearance) kids.push(el('div', { cls: 'n', 'data-avg': 'appearance_rate', text: avg.word + '出庭应诉率 ' + pct(avg.appearance.rate) + counts(avg.appearance.appeared, avg.appearance.hearings) + gap(avg.appearance.diff_pp) }));
      }
      cards.push(el('div', { cls: 'kpi', 'data-kpi': 'peer_rank' }, kids));
    }
    if (sc.kind === 'unit' && isNum(f.loss_rank)) {
      cards.push(el('div', { cls: 'kpi', 'data-kpi': 'loss_rank' }, [el('div', { cls: 'label', text: '败诉率在' + D.subunit_word + '中的排名' }), el('div', { cls: 'value' }, ['第' + f.loss_rank, el('small', { text: '位 / ' + D.subunits.filter(function (u) { return isNum(u.loss_rank); }).length })]), el('div', { cls: 'n', text: '由低到高排列；双下降：' + (f.double_decline === true ? '是' : f.double_decline === false ? '否' : '—') })]));
    }
    cards.forEach(function (c) { host.appendChild(c); });
    var note = document.getElementById('kpi-note');
    if (note) note.textContent = '同比：' + D.period.label + '与' + D.period.prev_label + '相比；计数按百分比，比率按百分点。绿色表示向好（发案量、败诉率、纠错率下降，出庭率上升），红色表示向差。点击数字查看对应案件。';
  }

  // ---------- case tables ----------
  function litColumns() {
    return [
      { key: 'case_no', label: '案号', value: function (c) { return c.case_no; } },
      { key: 'defendant', label: '被告', value: function (c) { return c.defendant; }, wrap: true },
      { key: 'region', label: '地区', value: function (c) { return regionName(c.region_code); } },
      { key: 'domain', label: '领域', value: function (c) { return c.domain; } },
      { key: 'filed_date', label: '立案日期', value: function (c) { return c.filed_date; } },
      { key: 'hearing_date', label: '开庭日期', value: function (c) { return c.hearing_date; } },
      { key: 'closed_date', label: '结案日期', value: function (c) { return c.closed_date; } },
      { key: 'outcome', label: '裁判结果', value: function (c) { return c.outcome; } },
      { key: 'head_appeared', label: '负责人出庭', value: function (c) { return c.hearing_date ? yesNo(c.head_appeared) : null; } },
      { key: 'head_spoke', label: '出声', value: function (c) { return c.head_appeared ? yesNo(c.head_spoke) : null; } },
      { key: 'loss_reason', label: '败诉原因', value: function (c) { return c.loss_reason; }, wrap: true },
      { key: 'marks', label: '本期', value: function (c) { return (c.filed_in_period ? '立' : '') + (c.concluded_in_period ? '结' : '') + (c.lost_in_period ? '败' : '') + (c.heard_in_period ? '庭' : ''); }, render: function (c) {
        var s = el('span');
        [['filed_in_period', '立案'], ['heard_in_period', '开庭'], ['concluded_in_period', '审结'], ['lost_in_period', '败诉']].forEach(function (m) { if (c[m[0]]) s.appendChild(el('span', { cls: 'tag', text: m[1] })); });
        return s;
      } }
    ];
  }
  function reconColumns() {
    return [
      { key: 'case_no', label: '案号', value: function (c) { return c.case_no; } },
      { key: 'respondent', label: '被申请人', value: function (c) { return c.respondent; }, wrap: true },
      { key: 'region', label: '地区', value: function (c) { return regionName(c.region_code); } },
      { key: 'domain', label: '领域', value: function (c) { return c.domain; } },
      { key: 'received_date', label: '收案日期', value: function (c) { return c.received_date; } },
      { key: 'closed_date', label: '结案日期', value: function (c) { return c.closed_date; } },
      { key: 'decision', label: '复议决定', value: function (c) { return c.decision; } },
      { key: 'corrected', label: '纠错', value: function (c) { return c.decided ? (c.corrected ? '是' : '否') : '不计入'; } }
    ];
  }
  function caseTable(host, id, src, rows, hit, filter) {
    return makeTable(host, {
      id: id,
      columns: src === 'recon' ? reconColumns() : litColumns(),
      rows: rows,
      filter: filter,
      empty: '（无案件）',
      tall: id !== 'drill',
      rowAttrs: function (c) { var h = hit ? hit(c) : false; return { 'data-case': c.case_no, 'data-hit': hit ? (h ? '1' : '0') : null, cls: h ? 'hit' : null }; },
      searchText: function (c) { return [c.case_no, c.defendant || c.respondent, regionName(c.region_code), c.domain, c.outcome || c.decision, c.loss_reason].join(' '); }
    });
  }

  // ---------- drill-down panel ----------
  var layer = document.getElementById('drill-layer');
  var lastFocus = null;
  function closeDrill(updateHash) {
    layer.hidden = true;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    delete tables.drill;
    if (updateHash) setHashParam('drill', null);
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  }
  function openDrill(scopeStr, metric, updateHash) {
    var sc = parseScope(scopeStr);
    var m = METRICS[metric];
    if (!sc || !m) {
      layer.hidden = false;
      layer.appendChild(el('section', { id: 'drill', cls: 'drill-panel', 'data-error': '1' }, [el('p', { cls: 'warn', text: '无法识别的明细：' + scopeStr + ':' + metric })]));
      return;
    }
    lastFocus = document.activeElement;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var all = scopeCases(sc, m.src);
    var den = all.filter(m.den);
    var hits = m.num ? den.filter(m.num) : [];
    var fig = scopeFigures(sc);
    // The numerator first, then the rest of the denominator, each by date.
    var dateKey = m.src === 'recon' ? 'closed_date' : metric === 'filed' ? 'filed_date' : /appear|hearing|spoke/.test(metric) ? 'hearing_date' : 'closed_date';
    den.sort(function (a, b) {
      var ha = m.num && m.num(a) ? 0 : 1, hb = m.num && m.num(b) ? 0 : 1;
      return ha - hb || String(a[dateKey] || '').localeCompare(String(b[dateKey] || '')) || a.case_no.localeCompare(b.case_no);
    });
    var heading = scopeLabel(sc) + ' · ' + m.label;
    if (m.count || !m.num) heading += ' ' + (m.num ? hits.length : den.length) + ' 件';
    if (m.rate && fig && m.rate in fig) heading += (m.count ? '（' + METRICS[m.rate].label + ' ' + pct(fig[m.rate]) + '）' : ' ' + pct(fig[m.rate]));
    var what = m.num ? '分母：' + m.denWord + ' ' + den.length + ' 件；分子：' + m.numWord + ' ' + hits.length + ' 件（高亮）' : m.denWord + ' ' + den.length + ' 件';
    var warn = [];
    if (fig) {
      if (m.denField && m.denField in fig && fig[m.denField] !== den.length) warn.push('分母明细 ' + den.length + ' 件，统计数 ' + fig[m.denField] + ' 件');
      if (m.numField && m.numField in fig && fig[m.numField] !== hits.length) warn.push('分子明细 ' + hits.length + ' 件，统计数 ' + fig[m.numField] + ' 件');
    }
    var closeBtn = el('button', { type: 'button', cls: 'close', text: '关闭 ✕', on: { click: function () { closeDrill(true); } } });
    var panel = el('section', { id: 'drill', cls: 'drill-panel', role: 'dialog', 'aria-modal': 'true', 'aria-label': heading, 'data-scope': sc.key, 'data-metric': metric, 'data-den': den.length, 'data-num': m.num ? hits.length : null }, [
      el('header', {}, [el('div', {}, [el('h3', { text: heading }), el('p', { cls: 'what', text: what + '。' + D.period.label + '（' + D.period.start + '至' + D.period.end + '）' }), warn.length ? el('p', { cls: 'warn', text: '注意：' + warn.join('；') + '，请核对。' }) : null]), closeBtn]),
      m.num ? el('p', { cls: 'legend' }, [el('span', { cls: 'swatch' }), '高亮行为分子（' + m.numWord + '），其余为分母中的其他案件。']) : null
    ]);
    var host = el('div');
    panel.appendChild(host);
    layer.appendChild(panel);
    caseTable(host, 'drill', m.src, den, m.num ? function (c) { return m.num(c); } : null, den.length > 15 ? '筛选：案号、被告、领域……' : null);
    layer.hidden = false;
    closeBtn.focus();
    if (updateHash) setHashParam('drill', scopeStr + ':' + metric);
  }
  layer.addEventListener('click', function (e) { if (e.target === layer) closeDrill(true); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && !layer.hidden) closeDrill(true); });

  // ---------- URL hash ----------
  function hashParams() {
    var out = {};
    var h = location.hash.replace(/^#/, '');
    if (!h) return out;
    h.split('&').forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf('=');
      var k = i < 0 ? kv : kv.slice(0, i), v = i < 0 ? '' : kv.slice(i + 1);
      try { out[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, ' ')); } catch (err) { out[k] = v; }
    });
    return out;
  }
  var applyingHash = false;
  function setHashParam(k, v) {
    if (applyingHash) return;
    var p = hashParams();
    if (v === null) delete p[k]; else p[k] = v;
    var s = Object.keys(p).map(function (x) { return encodeURIComponent(x) + '=' + encodeURIComponent(p[x]); }).join('&');
    try { history.replaceState(null, '', s ? '#' + s : location.pathname + location.search); } catch (err) { /* some browsers refuse on file:// */ }
  }
  function applyHash() {
    applyingHash = true;
    try {
      var p = hashParams();
      var tid = p.table || (PAGE === 'unit' ? 'agencies' : 'subunits');
      if (p.q !== undefined && tables[p.table || 'agencies']) tables[p.table || 'agencies'].filter(p.q);
      if (p.sort && tables[tid]) tables[tid].sort(p.sort, p.dir === 'desc' ? -1 : 1);
      if (p.drill) {
        var i = p.drill.lastIndexOf(':');
        if (i > 0) openDrill(p.drill.slice(0, i), p.drill.slice(i + 1), false);
      } else if (!layer.hidden) closeDrill(false);
    } finally {
      applyingHash = false;
    }
  }

  // ---------- notes ----------
  function notes() {
    var host = document.getElementById('notes');
    if (!host) return;
    var t = D.thresholds;
    var items = [
      '统计期间：' + D.period.label + '（' + D.period.start + '至' + D.period.end + '），同比期间：' + D.period.prev_label + '。只统计一审行政案件（行初、行赔初）。',
      '发案量：本期立案的一审案件数；审结：本期结案数；同比为增减百分比。',
      '总体败诉率 = 败诉 ÷ 审结（本地通报口径）；实体败诉率 = 败诉 ÷ 判决结案（最高人民法院口径，判决结案含驳回诉讼请求）。败诉指撤销、部分撤销、变更、确认违法、确认无效、责令履行、给付、赔偿。',
      '负责人出庭应诉率 = 负责人出庭的开庭案件 ÷ 本期开庭案件；出声率 = 出庭并发表意见 ÷ 出庭；应出庭案件出庭率以法院要求负责人出庭的案件为分母。',
      '复议纠错率 = 撤销、变更、确认违法、责令履行（确认无效）÷ 作出实体决定的复议案件；和解、调解、终止不计入分母。',
      '排名按总体败诉率由低到高，并列取最前名次；无审结案件的不排名。分母较小时排名不稳定，请结合件数（n）阅读。',
      '约谈：败诉' + t.interview_losses + '件以上，或审结' + t.interview_min_concluded + '件以上且败诉率≥' + (t.interview_loss_rate * 100).toFixed(0) + '%；监督意见书：败诉' + t.letter_losses + '件以上或复议被纠错' + t.letter_corrections + '件以上。',
      '本看板不含当事人姓名等个人信息。数据生成日期：' + D.generated_on + '。'
    ];
    host.appendChild(el('ul', {}, items.map(function (s) { return el('li', { text: s }); })));
  }

  // ---------- 乡镇综合行政执法 (present when the region has townships) ----------
  function openTownshipDrill(t) {
    lastFocus = document.activeElement;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var rows = (D.township.decisions || []).filter(function (d) { return d.township === t.code; });
    var heading = t.name + ' · 乡镇办理行政处罚案件 ' + rows.length + ' 件';
    var warn = rows.length !== t.township_cases ? el('p', { cls: 'warn', text: '注意：明细 ' + rows.length + ' 件，统计数 ' + t.township_cases + ' 件，请核对。' }) : null;
    var closeBtn = el('button', { type: 'button', cls: 'close', text: '关闭 ✕', on: { click: function () { closeDrill(false); } } });
    var panel = el('section', { id: 'drill', cls: 'drill-panel', role: 'dialog', 'aria-modal': 'true', 'aria-label': heading, 'data-scope': 't:' + t.code, 'data-metric': 'township_cases', 'data-den': rows.length }, [
      el('header', {}, [el('div', {}, [el('h3', { text: heading }), el('p', { cls: 'what', text: '处罚决定日期在' + D.period.label + '（' + D.period.start + '至' + D.period.end + '）内、区划为该乡镇的处罚决定；当事人为自然人的已隐去姓名。' }), warn]), closeBtn])
    ]);
    var host = el('div');
    panel.appendChild(host);
    layer.appendChild(panel);
    makeTable(host, {
      id: 'drill', rows: rows, empty: '（无案件）',
      rowAttrs: function (d) { return { 'data-decision': d.decision_no }; },
      columns: [
        { key: 'decision_no', label: '决定书文号', value: function (d) { return d.decision_no; }, wrap: true },
        { key: 'agency', label: '执法机关', value: function (d) { return d.agency; }, wrap: true },
        { key: 'decided_date', label: '决定日期', value: function (d) { return d.decided_date; } },
        { key: 'penalty_kind', label: '处罚种类', value: function (d) { return d.penalty_kind; } },
        { key: 'fine_yuan', label: '罚款(元)', num: true, value: function (d) { return yuanNum(d.fine_yuan); }, render: function (d) { return dash(d.fine_yuan); } },
        { key: 'leniency', label: '裁量情形', value: function (d) { return d.leniency; } },
        { key: 'delegated', label: '赋权事项', value: function (d) { return yesNo(d.delegated); } },
        { key: 'party', label: '当事人', value: function (d) { return d.party; }, wrap: true }
      ]
    });
    layer.hidden = false;
    closeBtn.focus();
  }
  function townshipSection() {
    var T = D.township;
    var host = document.getElementById('tbl-township');
    if (!T || !host) return;
    var c = T.current, p = T.previous, s = T.since_reform;
    var cards = el('div', { cls: 'kpis', id: 'township-cards' });
    function card(key, label, value, small, n) {
      cards.appendChild(el('div', { cls: 'kpi', 'data-kpi': key }, [el('div', { cls: 'label', text: label }), el('div', { cls: 'value' }, [String(value), el('small', { text: small })]), el('div', { cls: 'n', text: n })]));
    }
    if (s) card('since_reform', '改革以来乡镇办理处罚案件', s.township_cases, '件', '自' + T.reform_start + '起，罚款' + s.township_fines_wan + '万元');
    card('township_cases', '本期乡镇办理处罚案件', c.township_cases, '件', '上年同期' + p.township_cases + '件；罚款' + c.township_fines_wan + '万元');
    card('townships_with_cases', '有办案的乡镇（街道）', c.townships_with_cases, '个 / ' + c.townships, (c.townships - c.townships_with_cases) + '个本期无案件');
    card('delegated_cases', '赋权事项案件', c.delegated_cases, '件', '罚款' + wan(c.delegated_fines_yuan) + '万元');
    card('lenient_rate', '包容审慎处罚占比', pct(c.lenient_rate), '', '不予、减轻、从轻处罚' + c.lenient_cases + '件；从重处罚' + c.severe_cases + '件');
    host.appendChild(cards);
    host.appendChild(el('p', { cls: 'hint', text: '点击表头排序；点击案件数查看处罚决定明细。' }));
    var rows = T.ranked.concat(T.without_cases);
    makeTable(host, {
      id: 'township', rows: rows, filter: '筛选：乡镇、所属地区……',
      rowAttrs: function (t) { return { 'data-code': t.code }; },
      searchText: function (t) { return t.name + ' ' + (t.parent_name || '') + ' ' + t.code; },
      columns: [
        { key: 'rank', label: '排名', num: true, value: function (t) { return t.rank; }, title: '按本期乡镇办理处罚案件数由多到少；无案件不排名' },
        { key: 'name', label: '乡镇（街道）', value: function (t) { return t.name; } },
        { key: 'parent_name', label: '所属地区', value: function (t) { return t.parent_name; } },
        { key: 'township_cases', label: '案件数', num: true, firstDir: -1, value: function (t) { return t.township_cases; }, render: function (t) { return t.township_cases > 0 ? el('button', { type: 'button', cls: 'drill', 'data-drill': 't:' + t.code, title: '查看处罚决定', on: { click: function () { openTownshipDrill(t); } } }, [String(t.township_cases)]) : '0'; } },
        { key: 'township_fines_yuan', label: '罚款(万元)', num: true, firstDir: -1, value: function (t) { return yuanNum(t.township_fines_yuan); }, render: function (t) { return t.township_fines_wan; } },
        { key: 'delegated_cases', label: '赋权事项案件', num: true, firstDir: -1, value: function (t) { return t.delegated_cases; } },
        { key: 'lenient_cases', label: '不予、减轻、从轻', num: true, firstDir: -1, value: function (t) { return t.lenient_cases; } },
        { key: 'severe_cases', label: '从重处罚', num: true, firstDir: -1, value: function (t) { return t.severe_cases; } }
      ]
    });
  }

  // ---------- pages ----------
  function renderIndex() {
    kpiCards('kpi-cards', { kind: 'total', key: 'total' }, D.total, D.prev_total);
    figuresTable('tbl-subunits', 'subunits', 'subunits', D.subunits, null);
    figuresTable('tbl-departments', 'departments', 'departments', D.departments, null);
    flagsTable('tbl-flags', D.flags);
    figuresTable('tbl-agencies', 'agencies', 'agencies', D.agencies, '筛选：机关名称、地区……');
    townshipSection();
    var dom = document.getElementById('tbl-domains');
    if (dom) {
      dom.appendChild(el('h3', { text: '各领域败诉和复议纠错情况' }));
      makeTable(dom, {
        id: 'domains', rows: D.by_domain, empty: '（无数据）',
        rowAttrs: function (d) { return { 'data-domain': d.domain }; },
        columns: [
          { key: 'domain', label: '领域', value: function (d) { return d.domain; } },
          { key: 'concluded', label: '审结', num: true, value: function (d) { return d.concluded; }, render: function (d) { return drillLink('d:' + d.domain, 'concluded', String(d.concluded), d); } },
          { key: 'lost', label: '败诉', num: true, value: function (d) { return d.lost; }, render: function (d) { return drillLink('d:' + d.domain, 'lost', String(d.lost), d); } },
          { key: 'loss_rate', label: '败诉率', num: true, value: function (d) { return d.loss_rate; }, render: function (d) { return rateCell('d:' + d.domain, 'loss_rate', d, 'lost', 'concluded'); } },
          { key: 'recon_decided', label: '复议实体决定', num: true, value: function (d) { return d.recon_decided; }, render: function (d) { return drillLink('d:' + d.domain, 'recon_decided', String(d.recon_decided), d); } },
          { key: 'recon_corrected', label: '复议纠错', num: true, value: function (d) { return d.recon_corrected; }, render: function (d) { return drillLink('d:' + d.domain, 'recon_corrected', String(d.recon_corrected), d); } },
          { key: 'recon_correction_rate', label: '纠错率', num: true, value: function (d) { return d.recon_correction_rate; }, render: function (d) { return rateCell('d:' + d.domain, 'recon_correction_rate', d, 'recon_corrected', 'recon_decided'); } }
        ]
      });
    }
    var rs = document.getElementById('tbl-reasons');
    if (rs) {
      rs.appendChild(el('h3', { text: '败诉原因' }));
      var totalLost = D.loss_reasons.reduce(function (s, r) { return s + r.lost; }, 0);
      makeTable(rs, {
        id: 'reasons', rows: D.loss_reasons, empty: '（本期无败诉案件）',
        rowAttrs: function (r) { return { 'data-reason': r.reason }; },
        columns: [
          { key: 'reason', label: '败诉原因', value: function (r) { return r.reason; }, wrap: true },
          { key: 'lost', label: '败诉', num: true, value: function (r) { return r.lost; }, render: function (r) { return drillLink('r:' + r.reason, 'lost', String(r.lost), null); } },
          { key: 'share', label: '占比', num: true, value: function (r) { return totalLost ? r.lost / totalLost : null; }, render: function (r) { return totalLost ? pct(r.lost / totalLost) : '—'; } }
        ]
      });
    }
  }

  function renderUnit() {
    var u = unitFigures(UNIT);
    if (!u) throw new Error('unit ' + UNIT + ' is not in the data');
    kpiCards('kpi-cards', { kind: 'unit', code: UNIT, key: 'u:' + UNIT }, u, D.prev_subunits ? D.prev_subunits[UNIT] : null);
    var agencies = D.agencies.filter(function (a) { return a.unit === UNIT; });
    flagsTable('tbl-flags', D.flags.filter(function (f) { var a = agencyFigures(f.code, f.agency); return a && a.unit === UNIT; }));
    figuresTable('tbl-agencies', 'agencies', 'agencies', agencies, '筛选：机关名称、地区……');
    var sc = { kind: 'unit', code: UNIT, key: 'u:' + UNIT };
    var host = document.getElementById('tbl-cases');
    if (host) {
      host.appendChild(el('p', { cls: 'hint', text: '本期立案、开庭或审结的一审案件；“本期”一栏标出各案计入的指标。' }));
      caseTable(host, 'cases', 'lit', scopeCases(sc, 'lit'), null, '筛选：案号、被告、领域、结果……');
    }
    var rh = document.getElementById('tbl-recon');
    if (rh) caseTable(rh, 'recon', 'recon', scopeCases(sc, 'recon'), null, '筛选：案号、被申请人、决定……');
  }

  try {
    // The reconciliation page (数据核对) is static HTML: nothing to render.
    if (PAGE === 'unit') renderUnit(); else if (PAGE !== 'reconcile') renderIndex();
    notes();
    applyHash();
    window.addEventListener('hashchange', applyHash);
    document.body.setAttribute('data-rendered', '1');
  } catch (err) {
    document.body.setAttribute('data-rendered', 'error');
    var main = document.querySelector('main') || document.body;
    main.insertBefore(el('p', { cls: 'noscript', text: '看板渲染出错：' + (err && err.message ? err.message : err) }), main.firstChild);
    throw err;
  }
})();
