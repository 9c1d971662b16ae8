// Bug: the pedestrian button is not latched: only ped = 1 at the deciding edge ends MAIN_GREEN,
// so a short press during the first cycles of MAIN_GREEN is lost.
module top (
    input  wire       clk,
    input  wire       rst,
    input  wire       car,
    input  wire       ped,
    output reg  [2:0] main_light,
    output reg  [2:0] side_light,
    output reg        walk
);
    localparam MG = 2'd0, MY = 2'd1, SG = 2'd2, SY = 2'd3;
    localparam RED = 3'b100, YELLOW = 3'b010, GREEN = 3'b001;
    reg [1:0] state;
    reg [2:0] cycles;
    reg       pending;

    wire leave = (state == MG) ? (cycles >= 3'd5 && (car || ped))
               : (state == MY) ? (cycles == 3'd1)
               : (state == SG) ? (cycles == 3'd3)
               :                 (cycles == 3'd1);

    always @(posedge clk) begin
        if (rst) begin
            state   <= MG;
            cycles  <= 3'd0;
            pending <= 1'b0;
            walk    <= 1'b0;
        end else begin
            if (leave) begin
                state  <= state + 2'd1;
                cycles <= 3'd0;
            end else if (cycles != 3'd7) begin
                cycles <= cycles + 3'd1;
            end
            if (leave && state == MY) begin
                pending <= 1'b0;
                walk    <= pending || ped;
            end else begin
                if (ped) pending <= 1'b1;
                if (leave && state == SG) walk <= 1'b0;
            end
        end
    end

    always @(*) begin
        case (state)
            MG:      begin main_light = GREEN;  side_light = RED;    end
            MY:      begin main_light = YELLOW; side_light = RED;    end
            SG:      begin main_light = RED;    side_light = GREEN;  end
            default: begin main_light = RED;    side_light = YELLOW; end
        endcase
    end
endmodule
